// The target's one translation unit: SwiftPM builds a C target only with a source file. Everything is
// `static inline` in the header, so callers inline it.
#include "CIntrinsics.h"
