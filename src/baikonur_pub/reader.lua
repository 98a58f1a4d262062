-- baikonur-pub's Markdown reader, kept running by `pandoc.Readers` (pandoc.py): one request
-- after another on stdin, each answered on stdout, so the work pandoc does once per process
-- (the collation tables citeproc sorts a bibliography with, 85 ms; its style, the Lua engine)
-- is done once.
--
-- Request:  "<n>\n" and n bytes of JSON {text, from, wide, meta?, bibliography?, csl?}; `wide`:
--           the text may hold East Asian wide characters (else no break can be between two)
-- Answer:   "ok <a> <w>\n", the AST as JSON (a bytes) and pandoc's log messages as a JSON
--           list (w bytes, none: empty); or "error <m> 0\n" and pandoc's message.
--
-- The text is read in pandoc's sandbox (no file, no network). Its metadata is replaced by the
-- caller's whole (`meta`, YAML as a metadata file holds it) when there is one, and always
-- before citeproc, which then reads only the bibliography and the style the caller names, as
-- `--sandbox` allows on the command line.

local function answer(status, first, second)
  io.write(status, " ", #first, " ", #second, "\n", first, second)
  io.flush()
end

local function warnings_of(messages, into)
  for i = #messages, 1, -1 do -- the latest first: in the order pandoc reported them
    into[#into + 1] = messages[i]
  end
end

-- What the command line does after reading when the format asks for east_asian_line_breaks
-- (pandoc's eastAsianLineBreakFilter; `pandoc.read` leaves it out): a soft break between two
-- East Asian wide characters is no space.
local function wide(text, pattern)
  local char = text:match(pattern)
  return char ~= nil and pandoc.layout.real_length(char) == 2
end

local east_asian_line_breaks = {
  Inlines = function(inlines)
    local kept = pandoc.Inlines({})
    for i, inline in ipairs(inlines) do
      if not (inline.t == "SoftBreak" and i > 1 and i < #inlines
              and wide(pandoc.utils.stringify(inlines[i - 1]), utf8.charpattern .. "$")
              and wide(pandoc.utils.stringify(inlines[i + 1]), "^" .. utf8.charpattern)) then
        kept:insert(inline)
      end
    end
    return kept
  end,
}

local function read(request)
  local warnings = {}
  local messages, doc = pandoc.log.silence(pandoc.read, request.text, request.from, nil, {})
  warnings_of(messages, warnings)
  if request.wide and request.from:find("+east_asian_line_breaks", 1, true) then
    doc = doc:walk(east_asian_line_breaks)
  end
  if request.meta or request.bibliography then
    doc.meta = pandoc.read("---\n" .. (request.meta or "{}") .. "\n---\n", "markdown", nil, {}).meta
  end
  if request.bibliography then
    doc.meta.bibliography = request.bibliography
    doc.meta.csl = request.csl
    messages, doc = pandoc.log.silence(pandoc.utils.citeproc, doc)
    warnings_of(messages, warnings)
  end
  -- pandoc's log messages as JSON, in one piece (one each took seconds for 40,000 of them)
  return pandoc.write(doc, "json"), #warnings == 0 and "" or pandoc.json.encode(warnings)
end

while true do
  local header = io.read("l")
  if not header then break end -- the caller has gone
  local body = io.read(tonumber(header))
  local ok, ast, warnings = pcall(function() return read(pandoc.json.decode(body, false)) end)
  if ok then
    answer("ok", ast, warnings)
  else
    answer("error", tostring(ast), "")
  end
end
