#pragma once
// The experimental API too (`ZSTD_compressSequences`, `ZSTD_Sequence`, the experimental parameters):
// libzstd exports it; Debian 12 ships 1.5.4, which the project builds against.
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
