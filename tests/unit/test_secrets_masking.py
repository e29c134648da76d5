"""One masking policy on every output path, on recorded-like payloads (no engine).

Each test feeds a secret through one output path and looks for the secret's
value in what a person would see; the engine tests run the same paths for real.
"""

import copy
import json

import pytest

from dockermagic import secrets
from dockermagic.objects.completed import Completed
from dockermagic.secrets import MASK, mask_env, mask_text
from dockermagic.templates import render
from dockermagic.views.base import KeyValues
from dockermagic.views.build import BuildLogView, LiveBuild
from dockermagic.views.history import HistoryView
from dockermagic.views.inspect import InspectView
from dockermagic.views.layers import LayersView
from dockermagic.views.logs import LogBuffer, LogsView
from dockermagic.views.table import Table

from ._viewdata import load

SECRET = "hunter2-s3cret"
DOC = {
    "Id": "abc",
    "Config": {
        "Env": ["PATH=/usr/bin", f"MYSQL_ROOT_PASSWORD={SECRET}", f"API_TOKEN={SECRET}x"],
        "Cmd": ["/bin/sh", "-c", f"#(nop) ENV DB_PASSWORD={SECRET}"],
    },
    "ContainerConfig": {"Env": [f"GH_TOKEN={SECRET}"]},
}


@pytest.fixture(autouse=True)
def masking_on():
    secrets.set_reveal(False)
    yield
    secrets.set_reveal(False)


def test_policy_masks_pairs_instructions_and_env_entries():
    assert mask_env(f"DB_PASSWORD={SECRET}") == f"DB_PASSWORD={MASK}"
    assert mask_env("PATH=/usr/bin") == "PATH=/usr/bin"
    assert mask_env("API_KEY=") == "API_KEY="  # nothing to hide
    line = f"/bin/sh -c #(nop)  ENV DB_PASSWORD={SECRET} two A=1 API_TOKEN={SECRET}"
    assert mask_text(line) == f"/bin/sh -c #(nop)  ENV DB_PASSWORD={MASK} A=1 API_TOKEN={MASK}"
    assert mask_text(f"ENV DB_PASSWORD {SECRET} more") == f"ENV DB_PASSWORD {MASK}"
    assert mask_text(f'RUN API_KEY="{SECRET} b" make') == f"RUN API_KEY={MASK} make"
    assert mask_text(f'["MYSQL_PASSWORD={SECRET}", "X=1"]') == f'["MYSQL_PASSWORD={MASK}", "X=1"]'
    # names that only look alike are left alone; an already masked value stays as it is
    assert mask_text("org.opencontainers.image.authors=me") == "org.opencontainers.image.authors=me"
    assert mask_text(f"[A=1 API_TOKEN={MASK}]") == f"[A=1 API_TOKEN={MASK}]"


def test_masking_runs_in_linear_time():
    import time

    # 100-200 kB each: a quadratic pattern would take minutes here
    for text in ("a" * 200_000, "A_TOKEN=" * 20_000, "ENV " + "X_KEY=1 " * 20_000, " " * 200_000):
        start = time.perf_counter()
        mask_text(text)
        assert time.perf_counter() - start < 2, text[:20]


def test_inspect_view_text_html_and_widget_state():
    view = InspectView(DOC, title="db")
    assert SECRET not in view.text() and SECRET not in view.html()
    assert MASK in view.text() and MASK in view.html()
    widget = view.widget()
    state = json.dumps([getattr(child, "value", "") for child in widget.children])
    assert SECRET not in state and "MYSQL_ROOT_PASSWORD" in state
    assert view.reveal("MYSQL_ROOT_PASSWORD") == SECRET  # the kernel side keeps the value


@pytest.mark.parametrize(
    "template",
    [
        "{{.Config.Env}}",
        "{{json .Config.Env}}",
        "{{json .}}",
        "{{range .Config.Env}}{{println .}}{{end}}",
        "{{index .Config.Env 1}}",
        "{{.Config.Cmd}}",
        "{{json .ContainerConfig}}",
    ],
)
def test_format_templates(template):
    out = render(template, DOC)
    assert SECRET not in out and MASK in out


def test_history_text_and_html_with_and_without_no_trunc():
    rows = [
        {
            "Id": "sha256:" + "a" * 64,
            "Created": 0,
            "Size": 0,
            "Comment": "",
            "CreatedBy": f"/bin/sh -c #(nop)  ENV DB_PASSWORD={SECRET} B=2",
        },
        {
            "Id": "<missing>",
            "Created": 0,
            "Size": 0,
            "Comment": "",
            "CreatedBy": f"/bin/sh -c #(nop)  ENV AAAAAAAAAAAAAAAAAAAAAAAAAAA_TOKEN={SECRET}",
        },
    ]
    for no_trunc in (False, True):
        view = HistoryView(rows, no_trunc=no_trunc, now=0)
        assert SECRET not in view.text() and SECRET not in view.html()
        # a truncated line never shows the start of a secret either
        assert SECRET[:3] not in view.text()
        assert MASK in view.text()


def test_layers_view():
    data = copy.deepcopy(load("image_layers.json"))
    data["layers"][-1]["instruction"] = f"/bin/sh -c #(nop)  ENV DB_PASSWORD={SECRET}"
    view = LayersView(data)
    assert SECRET not in view.text() and SECRET not in view.html()
    assert f"DB_PASSWORD={MASK}" in view.html()


def test_build_live_lines_and_folded_log():
    from dockermagic.engine.build import BuildRun

    written = []
    live = LiveBuild(written.append)
    run = BuildRun(live.on_step, live.on_output)
    for line in [
        f"Step 1/2 : ENV DB_PASSWORD={SECRET}\n",
        " ---> abc123abc123\n",
        f"Step 2/2 : RUN echo API_TOKEN={SECRET}\n",
        f"API_TOKEN={SECRET}\n",
    ]:
        run.feed({"stream": line})
    run.close()
    assert SECRET not in "".join(written) and MASK in "".join(written)
    view = BuildLogView(run.steps)
    assert SECRET not in view.text() and SECRET not in view.html()


def test_tables_logs_key_values_and_reprs():
    table = Table([("Command", "COMMAND")], [{"Command": f"sh -c 'MYSQL_PWD_KEY={SECRET} mysql'"}])
    assert SECRET not in table.text() and SECRET not in table.html()
    buffer = LogBuffer()
    buffer.add(1, f"export API_TOKEN={SECRET}")
    logs = LogsView(buffer, "c")
    assert SECRET not in logs.text() and SECRET not in logs.html()
    kv = KeyValues("info", {"Env": f"HTTP_PROXY_PASSWORD={SECRET}"})
    assert SECRET not in kv.text() and SECRET not in kv.html()
    done = Completed(0, f"DB_PASSWORD={SECRET}\n", "", 0.1)
    assert SECRET not in repr(done) and str(done) == f"DB_PASSWORD={SECRET}\n"


def test_error_messages_through_the_magic(shell):
    from IPython.core.error import UsageError

    with pytest.raises(UsageError) as caught:
        shell.run_line_magic("docker", f"create --memory API_TOKEN={SECRET} debian:bookworm")
    assert "--memory" in str(caught.value) and SECRET not in str(caught.value)


def test_show_secrets_setting_reveals_and_is_off_by_default(shell):
    from dockermagic.magics import DockerMagics

    assert DockerMagics.show_secrets.default_value is False
    try:
        shell.run_line_magic("config", "DockerMagics.show_secrets = True")
        assert SECRET in InspectView(DOC).text() and SECRET in render("{{.Config.Env}}", DOC)
    finally:
        shell.run_line_magic("config", "DockerMagics.show_secrets = False")
    assert SECRET not in InspectView(DOC).text()
