"""Configuration precedence (YAML < LAKETAP_* environment < --set/flags), validation and redaction,
through the real binary's `serve --print-config`."""

from __future__ import annotations

import os
import subprocess

from conftest import laketap_bin


def serve(*args, env=None, yaml=None, tmp_path=None):
    argv = [str(laketap_bin()), "serve", *args]
    if yaml is not None:
        path = tmp_path / "laketap.yaml"
        path.write_text(yaml)
        argv += ["--config", str(path)]
    e = {k: v for k, v in os.environ.items() if not k.startswith("LAKETAP_")}
    e.update(env or {})
    return subprocess.run(argv, capture_output=True, text=True, env=e)


def test_defaults_need_no_configuration():
    r = serve("--print-config")
    assert r.returncode == 0, r.stderr
    for line in ('host: "127.0.0.1"', "port: 8080", 'directory: "./laketap-data"', "store: local",
                 'path: "./lake"', 'compression: "zstd:3"', "durability: fsync", "auto_create_streams: true",
                 "conversion_threads: all cores", "conversion_priority: idle"):
        assert line in r.stdout, line


def test_precedence_yaml_then_environment_then_flags(tmp_path):
    yaml = "server:\n  port: 9000\n  host: 0.0.0.0\nbuffer:\n  disk_budget: 1GiB\ndefaults:\n  flush_age: 5m\n"
    r = serve("--print-config", yaml=yaml, tmp_path=tmp_path)
    assert "port: 9000" in r.stdout and 'host: "0.0.0.0"' in r.stdout and "disk_budget: 1073741824" in r.stdout
    assert "flush_age: 300.0s" in r.stdout
    r = serve("--print-config", yaml=yaml, tmp_path=tmp_path, env={"LAKETAP_SERVER_PORT": "9100"})
    assert "port: 9100" in r.stdout and 'host: "0.0.0.0"' in r.stdout
    r = serve("--print-config", "--port", "9200", "--set", "buffer.disk_budget=2GiB", yaml=yaml, tmp_path=tmp_path,
              env={"LAKETAP_SERVER_PORT": "9100"})
    assert "port: 9200" in r.stdout and "disk_budget: 2147483648" in r.stdout


def test_streams_inherit_defaults_and_tokens_are_redacted(tmp_path):
    yaml = ("server:\n  tokens: [super-secret-token]\ndefaults:\n  compression: snappy\n"
            "streams:\n  events:\n    partition_by: 'date={ts:%Y-%m-%d}'\n    tokens: [stream-secret]\n  plain: {}\n")
    r = serve("--print-config", yaml=yaml, tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "super-secret-token" not in r.stdout and "stream-secret" not in r.stdout
    assert r.stdout.count('compression: "snappy"') == 3
    assert '"plain":' in r.stdout and 'partition_by: "date={ts:%Y-%m-%d}"' in r.stdout


def test_list_values_from_the_environment_and_set_are_comma_separated():
    r = serve("--print-config", "--set", "streams.events.tokens=t1, t2", env={"LAKETAP_SERVER_TOKENS": "a,b,,c"})
    assert r.returncode == 0, r.stderr
    assert 'tokens: ["[redacted]", "[redacted]", "[redacted]"]' in r.stdout  # server.tokens: a, b, c
    assert '    tokens: ["[redacted]", "[redacted]"]' in r.stdout  # streams.events.tokens: t1, t2


def test_s3_lake_from_flag():
    r = serve("--print-config", "--lake", "s3://bucket/some/prefix", "--set", "lake.endpoint=http://127.0.0.1:1")
    assert r.returncode == 0, r.stderr
    assert 'bucket: "bucket"' in r.stdout and 'prefix: "some/prefix"' in r.stdout and "store: s3" in r.stdout


def test_bad_settings_name_the_key_and_where_it_came_from(tmp_path):
    cases = [
        (["--set", "server.prot=1"], None, {}, "server.prot: unknown setting"),
        (["--port", "99999"], None, {}, "server.port: expected a whole number"),
        ([], None, {"LAKETAP_BUFFER_DISK_BUDGET": "lots"}, "LAKETAP_BUFFER_DISK_BUDGET: buffer.disk_budget"),
        ([], "streams:\n  e:\n    bogus: 1\n", {}, "streams.e.bogus: unknown stream setting"),
        ([], "lake:\n  store: s3\n", {}, "lake.bucket: required"),
        ([], "server: [1, 2\n", {}, "not valid YAML"),
        ([], "defaults:\n  flush_age: soon\n", {}, "expected a duration"),
        (["--set", "buffer.conversion_priority=urgent"], None, {}, "buffer.conversion_priority"),
        ([], None, {"LAKETAP_BUFFER_CONVERSION_THREADS": "0"}, "buffer.conversion_threads"),
    ]
    for args, yaml, env, message in cases:
        r = serve("--print-config", *args, yaml=yaml, tmp_path=tmp_path, env=env)
        assert r.returncode == 2, (args, yaml, r.stdout)
        assert message in r.stderr, (message, r.stderr)


def test_help_config_lists_every_key_with_its_environment_variable():
    r = serve("--help-config")
    assert r.returncode == 0
    for key, env in (("server.port", "LAKETAP_SERVER_PORT"), ("buffer.durability", "LAKETAP_BUFFER_DURABILITY"),
                     ("lake.endpoint", "LAKETAP_LAKE_ENDPOINT"), ("defaults.flush_age", "LAKETAP_DEFAULTS_FLUSH_AGE")):
        assert key in r.stdout and env in r.stdout


def test_conversion_threads_and_priority_are_set(tmp_path):
    r = serve("--print-config", "--set", "buffer.conversion_priority=low",
              env={"LAKETAP_BUFFER_CONVERSION_THREADS": "3"})
    assert r.returncode == 0, r.stderr
    assert "conversion_threads: 3" in r.stdout and "conversion_priority: low" in r.stdout, r.stdout
