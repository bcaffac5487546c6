"""gridmap's own plugins (issue 18, docs/plugins.md): discovery in plugins/ and entry points, enable/disable
remembered, hooks into the desktop, the command line and the intake service; a broken plugin is reported."""

import argparse
import textwrap

from gridmap import extensions


def write_plugin(folder, name, body):
    (folder / name).mkdir(parents=True)
    (folder / name / "__init__.py").write_text(textwrap.dedent(body), encoding="utf-8")


def test_the_folder_s_plugins_are_found_and_a_broken_one_is_reported(qapp, tmp_path):
    write_plugin(tmp_path, "hello", '''
        PLUGIN = {"name": "hello", "title": "Hello", "version": "0.1", "description": "says hello"}

        def cli(sub):
            p = sub.add_parser("hello", help="say hello")
            p.set_defaults(func=lambda args: print("hello") or 0)
    ''')
    write_plugin(tmp_path, "broken", "import no_such_module_anywhere\n")
    found = {e.name: e for e in extensions.discover([tmp_path])}
    assert found["hello"].title == "Hello" and found["hello"].enabled and found["hello"].origin == "plugins/ folder"
    assert "ModuleNotFoundError" in found["broken"].error and not found["broken"].enabled
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    assert extensions.run_hook(list(found.values()), "cli", sub) == []
    assert parser.parse_args(["hello"]).func(None) == 0


def test_enable_and_disable_are_remembered(qapp, tmp_path):
    write_plugin(tmp_path, "hello", 'PLUGIN = {"name": "hello"}\ndef desktop(api):\n    raise RuntimeError("boom")\n')
    extensions.set_enabled("hello", False)
    try:
        (hello,) = extensions.discover([tmp_path])
        assert not hello.enabled and hello.hook("desktop") is None  # a switched-off plugin's hooks do not run
    finally:
        extensions.set_enabled("hello", True)
    (hello,) = extensions.discover([tmp_path])
    failed = extensions.run_hook([hello], "desktop", object())
    assert failed == [hello] and "boom" in hello.hook_errors["desktop"]  # reported, not raised


def test_the_shipped_plugins_are_found(qapp):
    names = {e.name for e in extensions.discover(refresh=True)}
    assert "basemaps" in names


def test_a_service_plugin_adds_routes_with_the_intake_s_context(qapp, tmp_path, small_demo, monkeypatch):
    import json
    import urllib.request

    import uvicorn

    from gridmap.service.app import create_app
    from tests.service.conftest import free_port, running

    write_plugin(tmp_path, "ping", '''
        PLUGIN = {"name": "ping"}

        def service(router, context):
            @router.get("/ping")
            def ping():
                return {"srid": context.srid, "stored": context.store() is not None}
    ''')
    found = extensions.discover([tmp_path])
    monkeypatch.setattr(extensions, "discover", lambda *a, **k: found)
    port = free_port()
    with running(uvicorn.Config(create_app(small_demo), host="127.0.0.1", port=port, log_level="error")), \
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=10) as answer:
        assert answer.status == 200 and json.loads(answer.read()) == {"srid": 4546, "stored": True}
