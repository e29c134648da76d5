"""The exact text faces (what terminals, nbval and saved notebooks read) of history, layers, logs,
pull/push progress and tables, on small hand-made payloads shaped like the Engine API's."""

import os

from dockermagic.views.history import HistoryView
from dockermagic.views.layers import LayersView
from dockermagic.views.logs import LogBuffer, LogsView
from dockermagic.views.progress import LayerBars, LayerProgress
from dockermagic.views.table import Table

NOW = 1_700_000_000
DIGEST = "sha256:" + "0123456789ab" + "f" * 52
LONG = "/bin/sh -c apt-get update && apt-get install -y nano\tcurl && rm -rf /var/lib/apt/lists/*"


def history_rows():
    return [
        {"Id": DIGEST, "Created": NOW - 7200, "CreatedBy": LONG, "Size": 1234567, "Comment": "built here"},
        {
            "Id": "<missing>",
            "Created": NOW - 3 * 86400,
            "CreatedBy": '/bin/sh -c #(nop)  CMD ["bash"]',
            "Size": 0,
            "Comment": "",
        },
        {"Id": "", "Created": NOW - 86400 * 30, "CreatedBy": "x" * 45, "Size": 74800000},
        {},
    ]


def test_history_text_is_the_cli_table():
    # the CLI's tabwriter: columns at least 10 wide, and a line whose last cell is empty keeps
    # the padding of the cell before it (docker history's lines without a comment end in spaces)
    assert HistoryView(history_rows(), now=NOW).text().splitlines() == [
        "IMAGE          CREATED        CREATED BY                                      SIZE      COMMENT",
        "0123456789ab   2 hours ago    /bin/sh -c apt-get update && apt-get install…   1.23MB    built here",
        '<missing>      3 days ago     /bin/sh -c #(nop)  CMD ["bash"]                 0B        ',
        "<missing>      4 weeks ago    " + "x" * 45 + "   74.8MB    ",
        "<missing>      53 years ago                                                   0B        ",
    ]


def test_history_no_trunc_keeps_ids_and_commands_whole_with_tabs_as_spaces():
    rows = HistoryView(history_rows(), no_trunc=True, now=NOW).table_rows()
    assert rows[0] == {
        "IMAGE": DIGEST,
        "CREATED": "2 hours ago",
        "CREATED BY": LONG.replace("\t", " "),
        "SIZE": "1.23MB",
        "COMMENT": "built here",
    }
    assert rows[3] == {
        "IMAGE": "<missing>",
        "CREATED": "53 years ago",
        "CREATED BY": "",
        "SIZE": "0B",
        "COMMENT": "",
    }


def layers_data(shared=("other:1", "other:2"), waste=11):
    layer = {
        "index": 0,
        "size": 74800000,
        "digest": DIGEST,
        "instruction": "/bin/sh -c #(nop) ADD file:abc in / ",
        "counts": {"added": 3, "changed": 2, "deleted": 1},
        "shared_with": list(shared),
    }
    run = {
        "index": 1,
        "size": 0,
        "digest": "sha256:" + "a" * 64,
        "instruction": "/bin/sh -c apt-get   update &&\tapt-get install -y " + "p" * 60,
        "counts": {"added": 0, "changed": 0, "deleted": 0},
        "shared_with": [],
    }
    return {
        "layers": [layer, run],
        "total": 74800000,
        "wasted": 2048,
        "efficiency": 0.99876,
        "inefficiencies": [{"wasted": 1024 + i, "copies": 2, "path": f"var/f{i}"} for i in range(waste)],
    }


def test_layers_text_lists_each_layer_and_the_ten_largest_wastes():
    lines = LayersView(layers_data()).text().splitlines()
    assert lines[:3] == [
        "2 layers, 74.8MB; wasted 2.05kB, efficiency 99.9%",
        "  0    74.8MB  0123456789ab  +3 ~2 -1  ADD file:abc in /  shared with other:1, other:2",
        "  1        0B  aaaaaaaaaaaa  +0 ~0 -0  RUN apt-get update && apt-get install -y " + "p" * 19,
    ]
    # 1024..1033 bytes; the eleventh item is left out
    assert lines[3:] == [f"  wasted   {'1.02kB' if i < 2 else '1.03kB'}  x2  var/f{i}" for i in range(10)]


def test_layers_text_without_inefficiencies():
    data = layers_data(shared=(), waste=0)
    del data["inefficiencies"]
    lines = LayersView(data).text().splitlines()
    assert len(lines) == 3 and lines[1].endswith("ADD file:abc in /")


def test_logs_spill_to_a_named_utf8_file_and_say_where():
    buf = LogBuffer(keep=2)
    for text in ("één", "twee", "drie"):
        buf.add(1, text)
    view = LogsView(buf, "web", note="exited with 0")
    path = view.saved_path
    try:
        name = os.path.basename(path)
        assert name.startswith("dockermagic-logs-") and name.endswith(".log")
        with open(path, encoding="utf-8") as f:
            assert f.read() == "één\n"
        assert view.text() == (
            f"[1 earlier lines not shown in {path}; the last 2 of 3 follow]\ntwee\ndrie\n[exited with 0]"
        )
        echoed = LogsView(buf, "web", echoed=True)
        assert echoed.text() == f"[3 lines; the last 2 are on .lines, earlier ones in {path}]"
    finally:
        os.unlink(path)


def test_logs_without_spill_file_say_nothing_of_one():
    buf = LogBuffer(keep=0, spill=False)  # keeps at least one line
    buf.add(1, "a")
    buf.add(2, "b")
    assert buf.keep == 1 and buf.saved_path is None
    assert LogsView(buf, "web").text() == "[1 earlier lines not shown; the last 1 of 2 follow]\nb"
    assert LogsView(buf, "web", following=True).text().endswith("b\n[following web…]")
    assert LogsView(buf, "web", echoed=True).text() == "[2 lines; the last 1 are on .lines]"
    assert LogBuffer().keep == 1000


def test_push_progress_writes_each_final_state_once_with_sizes_on_the_bars():
    lines = []
    progress = LayerProgress(lines.append)
    for event in [
        {"status": "The push refers to repository [127.0.0.1:5000/x]"},
        {"status": "Preparing", "id": "l1"},
        {"status": "Pushing", "id": "l1", "progressDetail": {"current": 1500, "total": 3000}},
        {"status": "Pushing", "id": "l1", "progressDetail": {"total": 3000}},
        {"status": "Pushed", "id": "l1"},
        {"status": "Pushed", "id": "l1"},
        {"status": "Layer already exists", "id": "l2"},
        {"status": "Mounted from library/debian", "id": "l3"},
        {"status": "Already exists", "id": "l4"},
        {"id": "l5"},
        {"progressDetail": {}},
        {"status": "latest: digest: sha256:00 size: 528"},
    ]:
        progress.feed(event)
    progress.close()
    assert lines == [
        "The push refers to repository [127.0.0.1:5000/x]\n",
        "l1: Pushed\n",
        "l2: Layer already exists\n",
        "l3: Mounted from library/debian\n",
        "l4: Already exists\n",
        "latest: digest: sha256:00 size: 528\n",
    ]
    assert progress.status_lines == ["latest: digest: sha256:00 size: 528"]
    assert progress.done == {"l1", "l2", "l3", "l4"}


def test_progress_keeps_each_layers_state_and_bar():
    progress = LayerProgress(lambda s: None)
    progress.feed({"status": "Downloading", "id": "l1", "progressDetail": {"current": 1500, "total": 3000}})
    assert progress.layers["l1"] == "Downloading 1.5kB/3kB"
    assert progress.bars.layers["l1"] == ("Downloading", 1500, 3000)
    progress.feed({"status": "Downloading", "id": "l1", "progressDetail": {"total": 3000}})
    assert progress.layers["l1"] == "Downloading 0B/3kB" and progress.bars.layers["l1"] == (
        "Downloading",
        0,
        3000,
    )
    progress.feed({"status": "Waiting", "id": "l2"})
    assert progress.layers["l2"] == "Waiting" and progress.bars.layers["l2"] == ("Waiting", 0, 0)
    assert progress.bars.text() == "l1: Downloading\nl2: Waiting"
    progress.close()


def test_layer_bars_text_is_one_line_per_layer():
    bars = LayerBars()
    assert bars.text() == ""
    bars.layers = {"a": ("Extracting", 1, 2), "b": ("Pull complete", 0, 0)}
    assert bars.text() == "a: Extracting\nb: Pull complete"


def test_table_text_is_the_clis_tabwriter_output():
    t = Table(
        [("Id", "ID"), ("Name", "NAME"), ("Note", "NOTE")],
        [
            {"Id": "abc", "Name": "a-long-name", "Note": None},
            {"Id": 7, "Name": "b", "Note": "x"},
            {"Id": None},
        ],
    )
    # each column as wide as its widest cell plus 3, and at least 10; the last one unpadded
    assert t.text() == (
        "ID        NAME          NOTE\nabc       a-long-name   \n7         b             x\n" + " " * 24
    )
    assert (
        t.cell({"Note": None}, "Note") == "" and t.cell({}, "Note") == "" and t.cell({"Id": 7}, "Id") == "7"
    )


def test_inspect_text_is_indented_json_with_non_ascii_kept_and_env_masked():
    from dockermagic.views.inspect import InspectView

    view = InspectView({"Name": "/café", "Config": {"Env": ["DB_PASSWORD=x"]}})
    assert view.text() == (
        '{\n    "Name": "/café",\n    "Config": {\n        "Env": [\n'
        '            "DB_PASSWORD=••••••"\n        ]\n    }\n}'
    )
