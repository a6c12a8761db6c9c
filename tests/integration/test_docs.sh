# shellcheck shell=bash
# The documentation agrees with the binary: the man page (tools/dist/man/userns-watch.8) is the
# one reference for options, so its OPTIONS section lists exactly the long options `--help`
# prints, with the same argument forms and every figure --help gives (defaults, ranges, exit
# codes); README.md and docs/*.md name only options that exist; their relative links (and
# anchors) resolve; README.md stays short. Needs no root, loads nothing.

needs() { requires cmd:python3; }

MAN=tools/dist/man/userns-watch.8
README_MAX_LINES=260

# docs_py CHECK: runs one check of the helper below over the binary's --help, the man page and the
# markdown files; prints what disagrees (nothing when all agree)
docs_py() {
	"$UW_BIN" --help > "$T/help.txt" || { fail "$UW_BIN --help failed"; return 1; }
	python3 - "$1" "$T/help.txt" "$MAN" README.md docs/*.md <<'PY'
import os, re, sys

check, help_file, man_file, md_files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]

def help_options():
    """--help: {long option: (argument form, description)}"""
    opts, cur = {}, None
    for line in open(help_file):
        m = re.match(r'^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)(.*)$', line.rstrip('\n'))
        if m:
            rest = m.group(2).strip()
            first = rest.split(' ')[0] if rest else ''
            # an argument is written in capitals ([ADDR:]PORT, unix:PATH|...), a description is not
            arg = first if re.search(r'[A-Z]', first) else ''
            desc = rest[len(arg):] if arg else rest
            cur = m.group(1)
            opts[cur] = [arg, desc]
        elif cur and re.match(r'^\s{8,}\S', line):
            opts[cur][1] += ' ' + line.strip()
        else:
            cur = None
    return opts

def roff_text(s):
    """a roff line as it reads: font escapes and quotes gone, \\- as -; macro arguments of the
    alternating-font macros (.BR, .BI, ...) joined without spaces, as roff joins them"""
    s = re.sub(r'\\f[BIRP]', '', s).replace('\\-', '-').replace('\\(aq', "'")
    m = re.match(r'^\.(B|I|BR|BI|IB|IR|RB|RI)\s+(.*)$', s)
    if m:
        args = re.findall(r'"([^"]*)"|(\S+)', m.group(2))
        s = ''.join(a or b for a, b in args) if len(m.group(1)) == 2 else ' '.join(a or b for a, b in args)
    elif s.startswith('.'):
        return ''
    return s

def man_options():
    """the man page's OPTIONS section: {long option: (argument form, text of its paragraph)}"""
    lines = open(man_file).read().split('\n')
    opts, sec, i = {}, None, 0
    while i < len(lines):
        l = lines[i]
        if l.startswith('.SH'):
            sec = l[3:].strip().strip('"')
        elif sec == 'OPTIONS' and l.startswith('.TP') and i + 1 < len(lines):
            tag = roff_text(lines[i + 1])
            body, j = [], i + 2
            while j < len(lines) and not lines[j].startswith(('.TP', '.SH')):
                body.append(roff_text(lines[j]))
                j += 1
            for m in re.finditer(r'(--[a-z][a-z0-9-]*)( (\S+))?', tag):
                opts[m.group(1)] = (m.group(3) or '', ' '.join(body))
            i = j
            continue
        i += 1
    return opts

figure = re.compile(r'\d+(?:\.\d+)*')

def markdown(path):
    """(prose with code taken out, [inline code spans], [commands of code blocks]) of a file"""
    text = open(path).read()
    prose, blocks, fence, prev_blank, in_block = [], [], False, True, False
    for line in text.split('\n'):
        if line.lstrip().startswith('```'):
            fence = not fence
            blocks.append('')
            continue
        indented = line.startswith('    ') and (prev_blank or in_block)
        if fence or indented:
            blocks.append(line)
            in_block = not fence and bool(line.strip())
            if fence:
                in_block = False
        else:
            in_block = False
            prose.append(line)
        prev_blank = not line.strip() and not fence
    # commands: code lines joined across trailing backslashes
    cmds, cur = [], ''
    for line in blocks:
        cur += ' ' + line.strip()
        if cur.endswith('\\'):
            cur = cur[:-1]
            continue
        cmds.append(cur.strip())
        cur = ''
    joined = '\n'.join(prose)
    spans = [m.group(2).replace('\n', ' ') for m in re.finditer(r'(`+)(.+?)\1', joined, re.S)]
    bare = re.sub(r'(`+)(.+?)\1', ' ', joined, flags=re.S)
    return bare, spans, cmds

def invoked_options(code):
    """the --options given to userns-watch in a piece of code: after a command word whose name is
    userns-watch (./userns-watch, /usr/local/sbin/userns-watch) or an image userns-watch:TAG,
    up to the end of that command"""
    found = []
    for cmd in re.split(r'\|\||&&|[|;&]', code):
        words = cmd.split()
        k = 0
        while k < len(words) and (words[k] in ('sudo', 'exec', 'env', 'flock') or re.match(r'^\w+=', words[k])):
            k += 1
        at = None
        if k < len(words) and os.path.basename(words[k]) == 'userns-watch':
            at = k
        for n, w in enumerate(words):
            if re.match(r'^userns-watch:[\w.-]+$', w):
                at = n
        if at is not None:
            found += [w.split('=')[0] for w in words[at + 1:] if w.startswith('--')]
    return found

def slug(heading):
    h = re.sub(r'`', '', heading.strip().lower())
    h = re.sub(r'[^\w\- ]', '', h)
    return h.replace(' ', '-')

def anchors(path):
    text = open(path).read()
    text = re.sub(r'```.*?```', '', text, flags=re.S)
    return {slug(m.group(1)) for m in re.finditer(r'^#{1,6}\s+(.*)$', text, re.M)}

bad = []
if check == 'options':
    h, m = set(help_options()), set(man_options())
    for o in sorted(h - m):
        bad.append(f'{o}: in --help, not in the man page\'s OPTIONS')
    for o in sorted(m - h):
        bad.append(f'{o}: in the man page\'s OPTIONS, not in --help')
elif check == 'arguments':
    h, m = help_options(), man_options()
    for o in sorted(set(h) & set(m)):
        if h[o][0] != m[o][0]:
            bad.append(f'{o}: --help says "{o} {h[o][0]}", the man page "{o} {m[o][0]}"')
elif check == 'figures':
    h, m = help_options(), man_options()
    for o in sorted(set(h) & set(m)):
        missing = [f for f in figure.findall(h[o][1]) if f not in figure.findall(m[o][1])]
        if missing:
            bad.append(f'{o}: --help gives {", ".join(missing)}, the man page\'s paragraph does not')
elif check == 'mentions':
    real = set(help_options())
    for path in md_files:
        bare, spans, cmds = markdown(path)
        named = re.findall(r'(?<![\w`-])(--[a-z][a-z0-9-]*)', bare)
        for s in spans:
            if s.startswith('--'):
                named += re.findall(r'(?<![\w-])(--[a-z][a-z0-9-]*)', s)
            else:
                named += invoked_options(s)
        for c in cmds:
            named += invoked_options(c)
        for o in sorted(set(named) - real):
            bad.append(f'{path}: {o} is not an option of userns-watch (write another program\'s option with its command: `docker run --userns=host`)')
elif check == 'links':
    for path in md_files:
        text = open(path).read()
        text = re.sub(r'```.*?```', '', text, flags=re.S)
        text = re.sub(r'(`+).+?\1', '', text, flags=re.S)
        for target in re.findall(r'\]\(([^)\s]+)\)', text):
            if re.match(r'^[a-z][a-z0-9+.-]*:', target):
                continue  # a URL
            file, _, anchor = target.partition('#')
            dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
            if not os.path.exists(dest):
                bad.append(f'{path}: link to {target}: {dest} does not exist')
            elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
                bad.append(f'{path}: link to {target}: no heading "#{anchor}" in {dest}')
print('\n'.join(bad))
PY
}

# docs_check CHECK WHAT: fails with every disagreement the check finds
docs_check() {
	local out
	out=$(docs_py "$1") || { fail "the $1 check did not run: $out"; return 1; }
	[ -z "$out" ] || { fail "$2:"$'\n'"$out"; return 1; }
}

test_help_and_man_page_list_the_same_options() {
	local n
	n=$("$UW_BIN" --help | grep -cE -- '^\s+(-\w, )?--[a-z]')
	[ "$n" -ge 15 ] || { fail "--help lists only $n options: the parser reads nothing"; return 1; }
	docs_check options "the long options of --help and of the man page's OPTIONS differ"
}

test_help_and_man_page_agree_on_arguments() {
	docs_check arguments "an option's argument is written differently in --help and the man page"
}

test_man_page_has_every_figure_of_help() {
	docs_check figures "a default, range or exit code --help gives is not in the man page"
}

test_docs_name_only_real_options() {
	docs_check mentions "README.md or docs/ name an option userns-watch does not have"
}

test_docs_relative_links_resolve() {
	docs_check links "README.md or docs/ link to something that is not there"
}

test_readme_is_short() {
	local n
	n=$(wc -l < README.md)
	[ "$n" -le "$README_MAX_LINES" ] ||
		{ fail "README.md has $n lines (at most $README_MAX_LINES: the rest belongs in docs/)"; return 1; }
}
