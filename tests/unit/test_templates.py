"""Go text/template subset: values print as Go prints them; errors are one CommandError."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dockermagic.errors import CommandError
from dockermagic.templates import render

DOC = {
    "Config": {
        "Labels": {"a.b": "c", "k": "v"},
        "Env": ["A=1", "B=2"],
        "Healthcheck": None,
        "Tty": False,
        "StopTimeout": 10,
    },
    "NetworkSettings": {
        "IPAddress": "172.17.0.2",
        "Networks": {"bridge": {"IPAddress": "172.17.0.2"}, "n2": {"IPAddress": "10.0.0.3"}},
    },
    "Mounts": [{"Source": "/a", "Destination": "/x"}, {"Source": "/b", "Destination": "/y"}],
    "Size": 1.5,
    "Html": "<b>&é",
}


@pytest.mark.parametrize(
    "template, expected",
    [
        ("{{.NetworkSettings.IPAddress}}", "172.17.0.2"),
        ("{{json .Config.Labels}}", '{"a.b":"c","k":"v"}'),
        ("{{json .Config.Env}}", '["A=1","B=2"]'),
        ("{{json .Html}}", '"<b>&é"'),  # the CLI's json leaves HTML alone (SetEscapeHTML(false))
        ("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}", "/a:/x /b:/y "),
        ('{{index .Config.Labels "a.b"}}', "c"),
        ("{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", "172.17.0.2 10.0.0.3 "),
        ("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "a.b=c;k=v;"),
        ("{{if .Config.Tty}}tty{{else}}no{{end}}", "no"),
        ('{{printf "%s/%d" .NetworkSettings.IPAddress .Config.StopTimeout}}', "172.17.0.2/10"),
        ('{{upper "ab"}}{{lower "CD"}}', "ABcd"),
        ('{{join .Config.Env ","}}', "A=1,B=2"),
        ("{{println .Config.StopTimeout}}", "10\n"),
        ("{{.Config.Labels}}", "map[a.b:c k:v]"),
        ("{{.Config.Env}}", "[A=1 B=2]"),
        ("{{.Config.Tty}}", "false"),
        ("{{.Size}}", "1.5"),
        ("{{.Nope}}", "<no value>"),
        ("{{range .Missing}}x{{end}}", ""),
    ],
)
def test_forms_print_like_go(template, expected):
    assert render(template, DOC) == expected


@pytest.mark.parametrize(
    "template",
    [
        "{{range .Mounts}}",
        "{{end}}",
        "{{bogus .Size}}",
        "{{.Size",
        "{{if}}{{end}}",
    ],
)
def test_bad_templates_are_one_line_errors(template):
    with pytest.raises(CommandError) as err:
        render(template, DOC)
    assert "\n" not in str(err.value)


@given(st.text(max_size=40))
def test_any_text_gives_a_string_or_a_command_error(template):
    try:
        assert isinstance(render(template, DOC), str)
    except CommandError:
        pass


FLAGS = {
    "Off": False,
    "On": True,
    "Zero": 0,
    "One": 1,
    "Empty": "",
    "Text": "x",
    "List": ["a", "b"],
    "Name": "<b>&é",
    "Labels": {"a b": "1"},
}


@pytest.mark.parametrize(
    "field, truthy",
    [
        ("Off", False),
        ("On", True),
        ("Zero", False),
        ("One", True),
        ("Empty", False),
        ("Text", True),
        ("List", True),
        ("Nope", False),
    ],
)
def test_if_follows_go_truthiness(field, truthy):
    assert render(f"{{{{if .{field}}}}}yes{{{{else}}}}no{{{{end}}}}", FLAGS) == ("yes" if truthy else "no")


@pytest.mark.parametrize(
    "first, second, expected",
    [
        ("On", "On", "a"),
        ("Off", "On", "b"),
        ("Off", "Off", "c"),
    ],
)
def test_else_if_chains_pick_the_first_true_branch(first, second, expected):
    template = f"{{{{if .{first}}}}}a{{{{else if .{second}}}}}b{{{{else}}}}c{{{{end}}}}"
    assert render(template, FLAGS) == expected


def test_printf_verbs_print_values_as_go_does():
    assert render('{{printf "%v %v %d %s" .List .On .One .Name}}', FLAGS) == "[a b] true 1 <b>&é"
    assert render('{{printf "%q" .Name}}', FLAGS) == '"<b>&é"'  # Go's %q keeps printable text


def test_quoted_strings_and_parentheses_stay_whole_in_a_pipeline():
    assert render('{{join .List "|"}}', FLAGS) == "a|b"
    assert render('{{printf "%s|%s" .Text .Text | upper}}', FLAGS) == "X|X"
    assert render('{{printf "%s" (index .Labels "a b")}}', FLAGS) == "1"
    assert render("{{if eq (len .List) 2}}two{{end}}", FLAGS) == "two"
    assert render('{{printf "say \\"hi\\""}}', FLAGS) == 'say "hi"'


def test_an_undefined_variable_is_named():
    with pytest.raises(CommandError, match=r'^template: undefined variable "\$nope"$'):
        render("{{$nope}}", FLAGS)


def test_a_missing_value_prints_as_go_does_wherever_it_is_formatted():
    from dockermagic.templates import MISSING

    assert str(MISSING) == "<no value>" and f"{MISSING}" == "<no value>"


MORE = {
    "Config": {
        "Labels": {"a.b": "c", "k": "v"},
        "Env": ["A=1", "B=2"],
        "Healthcheck": None,
        "Tty": False,
        "StopTimeout": 10,
    },
    "Mounts": [{"Source": "/a", "Destination": "/x"}, {"Source": "/b", "Destination": "/y"}],
    "Size": 1.5,
    "Whole": 3.0,
    "Big": 1e21,
    "Empty": [],
}


@pytest.mark.parametrize(
    "template, expected",
    [
        # variables: range with index and element, one element variable, $ and outer variables inside
        ("{{range $i, $m := .Mounts}}{{$i}}:{{$m.Source}} {{end}}", "0:/a 1:/b "),
        ("{{range $i, $e := .Config.Env}}{{$i}}={{$e}} {{end}}", "0=A=1 1=B=2 "),
        ("{{range $m := .Mounts}}{{$m.Destination}}{{end}}", "/x/y"),
        ("{{range $k, $v := .Config.Labels}}{{range $.Mounts}}{{$k}}{{end}}{{end}}", "a.ba.bkk"),
        ("{{$x := .Config.StopTimeout}}{{$x}}", "10"),
        ("{{$x := 1}}{{range .Mounts}}{{$x}}{{end}}", "11"),
        ("{{$.Size}}", "1.5"),
        ("{{range .Config.Labels}}{{.}},{{end}}", "c,v,"),
        # with, range ... else
        ("{{with .Config.Labels}}{{.k}}{{end}}", "v"),
        ("{{with .Nope}}x{{else}}none{{end}}", "none"),
        ("{{range .Empty}}x{{else}}empty{{end}}", "empty"),
        # values as Go prints them
        ("{{.Config.Healthcheck}}", "<nil>"),
        ('{{printf "%v" .Config.Healthcheck}}', "<nil>"),
        ("{{.Big}}", "1e+21"),
        ("{{.Whole}}", "3"),
        ("{{.Config.Labels.k}}", "v"),
        ("{{true}}", "true"),
        ("{{-3}}", "-3"),
        ("{{`raw|x`}}", "raw|x"),
        ('{{"a\\tb"}}', "a\tb"),
        ("{{.Mounts | json}}", '[{"Source":"/a","Destination":"/x"},{"Source":"/b","Destination":"/y"}]'),
        ("{{json .Nope}}", "null"),
        # pipelines: the value goes in as the last argument
        ('{{.Size | printf "%.1f"}}', "1.5"),
        ("{{.Config.Env | len}}", "2"),
        ("{{len .Mounts}}", "2"),
        # trim markers, comments, spacing, text around actions
        ("a  {{- .Config.StopTimeout -}}  b", "a10b"),
        ("{{- .Size}}", "1.5"),
        ("{{/* note */}}x", "x"),
        ("{{ .Size }}", "1.5"),
        ("x{{.Size}}y", "x1.5y"),
        # functions
        ("{{if and .Config.Tty .Size}}y{{else}}n{{end}}", "n"),
        ("{{or .Config.Tty .Size}}", "1.5"),
        ("{{not .Config.Tty}}", "true"),
        ("{{eq .Config.StopTimeout 10}}", "true"),
        ("{{ne 1 2}}", "true"),
        ('{{index .Mounts 1 "Source"}}', "/b"),
        ('{{truncate "abcdef" 3}}', "abc"),
        ('{{pad "x" 1 2}}', " x  "),
        ('{{title "hello world"}}', "Hello World"),
        ('{{split "a,b" ","}}', "[a b]"),
    ],
)
def test_more_go_template_forms(template, expected):
    assert render(template, MORE) == expected


@pytest.mark.parametrize(
    "template, message",
    [
        # Go's own words (text/template, as the CLI reports them)
        ("{{.Size 1}}", "template: Size is not a method but has arguments"),
        ("{{len 3}}", "template: error calling len: len of type int"),
        ('{{printf "abc}}', "template: unterminated quoted string"),
        ("{{else}}", "template: unexpected {{else}}"),
        ("{{if .Size}}{{else}}{{else}}{{end}}", "template: unexpected {{else}}"),
        ("{{ | json}}", "template: missing command in pipeline"),
        ("{{range $i, $m := .Mounts}}{{end}}{{$i}}", 'template: undefined variable "$i"'),
        ("{{upper .Config.Tty}}", "template: wrong type for value; expected string; got bool"),
        ("{{1 | 2}}", "template: non executable command in pipeline stage 2"),
        ("{{index .Mounts 5}}", "template: error calling index: index out of range: 5"),
    ],
)
def test_template_errors_name_the_problem(template, message):
    with pytest.raises(CommandError) as info:
        render(template, MORE)
    assert str(info.value) == message


def test_a_typed_document_prints_as_the_clis_structs_and_falls_back_to_the_raw_one():
    from dockermagic.actions.go_types import document

    raw = {"Id": "abc", "Config": {"Env": None, "Labels": None, "Image": "x"}, "State": {"Status": "up"}}
    doc = document(raw, "container")
    assert render(
        "{{.ID}} {{.Config.Env}} {{.Config.Labels}} {{.Config.Healthcheck}} {{.Config.User}}|", doc, raw
    ) == ("abc [] map[] <nil> |")
    assert render("{{.State}}", doc, raw).startswith("{up false false")
    assert render("{{.Id}} {{json .Config.Env}}", doc, raw) == "abc null"  # .Id: not a field of the struct
    with pytest.raises(CommandError, match='map has no entry for key "Nope"'):
        render("{{.Nope}}", doc, raw)
    assert render("{{.Nope}}", raw) == "<no value>"  # decoded JSON alone: Go's default for a missing key


@pytest.mark.parametrize(
    "template, expected",
    [
        ("{{range $i, $e := .List}}{{if eq $i 0}}{{continue}}{{end}}{{$e}}{{end}}", "b"),
        ("{{range .List}}{{.}}{{break}}{{end}}", "a"),
        ('{{slice "abcdef" 1 3}} {{slice .List 1}}', "bc [b]"),
        ("{{html \"<a href='x'>&\"}}", "&lt;a href=&#39;x&#39;&gt;&amp;"),
        ('{{js "it\'s"}}', "it\\'s"),
        ('{{urlquery "a b&c"}}', "a+b%26c"),
        ('{{print 1 2 "a" 3 "b"}}', "1 2a3b"),
        ("{{range 3}}{{.}}{{end}}", "012"),
        ('{{printf "%5.2f|%-3d|%03d|%x|%t" 3.14159 7 7 255 true}}', " 3.14|7  |007|ff|true"),
        ('{{printf "%s %d"}} {{printf "%d" "x"}}', "%!s(MISSING) %!d(MISSING) %!d(string=x)"),
        ("{{lt 1 2}} {{le 2 2}} {{gt 1 2}} {{ge 1 2}}", "true true false false"),
        ("{{$x := 1}}{{range .List}}{{$x = .}}{{end}}{{$x}}", "b"),
        ("{{with $v := .One}}{{$v}}{{else with .Two}}two{{end}}", "1"),
    ],
)
def test_go_builtins_and_control_forms(template, expected):
    assert render(template, FLAGS) == expected


def test_bounds_keep_a_cell_from_hanging():
    with pytest.raises(CommandError, match="at most 1,000,000 iterations"):
        render("{{range 100000000}}{{end}}", FLAGS)
    with pytest.raises(CommandError, match="blocks or parentheses inside each other"):
        render("{{" + "(" * 300 + "1" + ")" * 300 + "}}", FLAGS)
    with pytest.raises(CommandError, match="output over"):
        render('{{range 1000}}{{printf "%1000000d" 1}}{{end}}', FLAGS)
    assert render('{{printf "%*d" 100000000 1}}', FLAGS) == "%!(BADWIDTH)"  # as Go's fmt
