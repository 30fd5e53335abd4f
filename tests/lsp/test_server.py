"""`rplint server` driven by pytest-lsp (pygls's client), with the capabilities real editors
send: the protocol's messages checked against the specification for those clients.

Run by `.ci/run`: RPLINT_BIN=target/debug/rplint python3 -m pytest tests/lsp
"""

import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

RPLINT = os.environ.get("RPLINT_BIN", "target/debug/rplint")

REQUEST = (
    '{\n  "input": {"prompt": "a \U0001f600 cat"},'
    ' "policy": {"executionTimeout": "600000", "ttll": 60000}\n}\n'
)


def units(text: str, encoding: str) -> int:
    """How many code units `text` takes in the protocol's `encoding`."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def position(client: LanguageClient, text: str, offset: int) -> types.Position:
    """The protocol position of character `offset` of `text`, in the agreed encoding."""
    before = text[:offset]
    line = before.count("\n")
    start = before.rfind("\n") + 1
    return types.Position(line=line, character=units(before[start:], client.encoding))


def apply(client: LanguageClient, text: str, edits) -> str:
    """`text` with protocol text edits applied."""
    def offset(position: types.Position) -> int:
        lines = text.split("\n")
        start = sum(len(line) + 1 for line in lines[: position.line])
        counted = 0
        for i, c in enumerate(text[start:]):
            if counted >= position.character or c == "\n":
                return start + i
            counted += units(c, client.encoding)
        return len(text)

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[RPLINT, "server"]),
    params=["visual-studio-code", "neovim@v0.7.0", "emacs"],
)
async def client(lsp_client: LanguageClient, request, tmp_path: pathlib.Path):
    registered = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        registered.extend(params.registrations)

    lsp_client.registered = registered
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=tmp_path.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="work")],
        )
    )
    lsp_client.root = tmp_path
    lsp_client.encoding = result.capabilities.position_encoding
    yield
    await lsp_client.shutdown_session()


async def open_document(client: LanguageClient, name: str, language: str, text: str):
    uri = (client.root / name).as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
        )
    )
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri:
            return uri, list(params.diagnostics)


async def test_diagnostics_in_the_agreed_encoding_with_their_rules(client: LanguageClient):
    uri, diagnostics = await open_document(client, "request.json", "json", REQUEST)
    # UTF-8 where the client offers it (Emacs), else the protocol's UTF-16.
    offered = client.capabilities.general and client.capabilities.general.position_encodings
    assert client.encoding == ("utf-8" if offered and "utf-8" in offered else "utf-16")
    assert [d.code for d in diagnostics] == ["invalid-type", "unknown-key"]
    value = REQUEST.index('"600000"')
    assert diagnostics[0].range.start == position(client, REQUEST, value)
    assert diagnostics[0].range.end == position(client, REQUEST, value + len('"600000"'))
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert diagnostics[0].code_description.href.endswith("#invalid-type")
    assert "did you mean `ttl`?" in diagnostics[1].message


async def test_quick_fixes_apply(client: LanguageClient):
    uri, diagnostics = await open_document(client, "request.json", "json", REQUEST)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range,
            context=types.CodeActionContext(diagnostics=[diagnostics[0]]),
        )
    )
    quick = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [a.title for a in quick] == ["Write `600000` (invalid-type)"]
    assert quick[0].is_preferred
    edit = quick[0].edit
    edits = (
        edit.document_changes[0].edits if edit.document_changes else edit.changes[uri]
    )
    assert apply(client, REQUEST, edits) == REQUEST.replace('"600000"', "600000")


async def test_hover_documents_the_key(client: LanguageClient):
    uri, _ = await open_document(client, "request.json", "json", REQUEST)
    at = position(client, REQUEST, REQUEST.index("executionTimeout") + 2)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
    )
    assert "milliseconds" in hover.contents.value
    assert "/policy/executionTimeout" in hover.contents.value


async def test_edits_are_followed(client: LanguageClient):
    uri, _ = await open_document(client, "request.json", "json", REQUEST)
    key = REQUEST.index('"ttll"')
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=position(client, REQUEST, key + 4),
                        end=position(client, REQUEST, key + 5),
                    ),
                    text="",
                )
            ],
        )
    )
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri and params.version == 2:
            break
    assert [d.code for d in params.diagnostics] == ["invalid-type"]


async def test_markdown_fences_are_checked_in_place(client: LanguageClient):
    text = "# Use\n\n```json\n{\"input\": {}, \"webhok\": \"https://x.example/h\"}\n```\n"
    uri, diagnostics = await open_document(client, "README.md", "markdown", text)
    assert [d.code for d in diagnostics] == ["unknown-key"]
    assert diagnostics[0].range.start == position(client, text, text.index('"webhok"'))


async def test_configuration_is_watched_and_reloaded(client: LanguageClient):
    (client.root / "rplint.toml").write_text('ignore = ["unknown-key"]\n')
    uri, diagnostics = await open_document(client, "request.json", "json", REQUEST)
    assert [d.code for d in diagnostics] == ["invalid-type"]
    watching = client.capabilities.workspace.did_change_watched_files
    if watching and watching.dynamic_registration:
        assert [r.method for r in client.registered] == ["workspace/didChangeWatchedFiles"]
    (client.root / "rplint.toml").write_text('ignore = ["invalid-type"]\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(
                    uri=(client.root / "rplint.toml").as_uri(), type=types.FileChangeType.Changed
                )
            ]
        )
    )
    while True:
        params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        if params.uri == uri:
            break
    assert [d.code for d in params.diagnostics] == ["unknown-key"]
