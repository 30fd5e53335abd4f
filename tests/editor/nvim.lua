-- A real editor as the client: Neovim (0.7 or later, headless) starts `rplint server` with
-- its built-in LSP client, opens the request named by RPLINT_DOC, waits for the diagnostics,
-- applies the quick fix offered at the first one, writes the file, and records what it saw
-- in RPLINT_OUT (JSON) for `.ci/editor.py` to check. Any failure quits with exit code 1.
local bin = os.getenv('RPLINT_BIN')
local doc = os.getenv('RPLINT_DOC')
local out = os.getenv('RPLINT_OUT')

local function finish(record, failure)
  record.failure = failure
  local file = io.open(out, 'w')
  file:write(vim.fn.json_encode(record))
  file:close()
  if failure then
    vim.cmd('cquit 1')
  else
    vim.cmd('qall!')
  end
end

local record = {}
vim.cmd('edit ' .. vim.fn.fnameescape(doc))
local buf = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({
  name = 'rplint',
  cmd = { bin, 'server' },
  root_dir = vim.fn.fnamemodify(doc, ':h'),
})
if not client_id then
  return finish(record, 'the client did not start')
end
vim.lsp.buf_attach_client(buf, client_id)

local seen = vim.wait(30000, function()
  return #vim.diagnostic.get(buf) >= 2
end, 50)
if not seen then
  return finish(record, 'no diagnostics within 30 s')
end
local diagnostics = vim.diagnostic.get(buf)
table.sort(diagnostics, function(a, b)
  return a.col < b.col
end)
record.diagnostics = {}
for _, d in ipairs(diagnostics) do
  -- Neovim turns the server's positions (in the agreed encoding) into byte columns.
  table.insert(record.diagnostics, {
    code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
    lnum = d.lnum,
    col = d.col,
    end_col = d.end_col,
    message = d.message,
  })
end

local client = vim.lsp.get_client_by_id(client_id)
local encoding = client.offset_encoding or 'utf-16'
record.encoding = encoding
local first = diagnostics[1]
local line = vim.api.nvim_buf_get_lines(buf, first.lnum, first.lnum + 1, false)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = {
    start = { line = first.lnum, character = vim.str_utfindex(line, first.col) },
    ['end'] = { line = first.end_lnum, character = vim.str_utfindex(line, first.end_col) },
  },
  context = { diagnostics = {} },
}
local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', params, 30000)
local response = responses and responses[client_id]
if not response or response.err then
  return finish(record, 'no code actions: ' .. vim.inspect(response))
end
record.actions = {}
local chosen
for _, action in ipairs(response.result or {}) do
  table.insert(record.actions, { title = action.title, kind = action.kind })
  if action.kind == 'quickfix' and not chosen then
    chosen = action
  end
end
if not chosen then
  return finish(record, 'no quick fix among the actions')
end
vim.lsp.util.apply_workspace_edit(chosen.edit, encoding)
vim.cmd('write')
finish(record, nil)
