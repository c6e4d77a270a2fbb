# doctest: run the command examples of a document and compare what they print
# with what the document shows. Used by tests/vm/suites/tutorial.bats; plain bash,
# awk, sed and diff (busybox in the guest), no bats needed:
#
#   source doctest.bash
#   doctest_run FILE WORKDIR [REWRITTEN]   # status 0 if every example matches
#
# Markup (Markdown): a fenced block whose info string starts with "console" holds
# examples. "$ CMD" starts a command; lines right after it that start with "> "
# continue it (as bash's PS2 shows them); every other line up to the next "$ " or
# the closing fence is the output CMD must print (stdout and stderr together),
# line for line. A command shown with no output must print nothing. Every command
# must exit 0: an example that shows a failing command says so itself, e.g.
# `cmd || echo "exit status $?"`. All commands of a file run in order in one bash
# process, each with stdin from /dev/null, so variables and functions carry over
# from block to block as in a reader's shell.
#
# An HTML comment right before a block (invisible on GitHub) changes how it is run:
#   <!-- doctest: skip -->            not run (a command for another machine)
#   <!-- doctest: status-only -->     exit status checked, output not compared
#                                     (output made of timings)
#   <!-- doctest: mask-addresses -->  whole kernel addresses masked (addresses
#                                     the kernel chose, outside the slice)
# Options combine: <!-- doctest: status-only mask-addresses -->.
#
# A man page (FILE ending in .1) is read the same way after a line-for-line
# translation: .EX/.EE are the fences, "# CMD" or "$ CMD" a command, a line
# after one ending in "\e" its continuation, roff escapes \- \e \(aq undone, and a
# roff comment '.\" doctest: OPTIONS' before .EX the directive. Man pages show no
# outputs, so their blocks are status-only. (The options may also follow
# "console" in a Markdown fence's info string: ```console skip.)
#
# Masks: what truly changes from one load or kernel to the next is rewritten in
# both the expected and the actual output before they are compared, and nothing
# else is (doctest_mask):
#   - 16-digit kernel addresses keep their last 5 hex digits only: the slice
#     starts 2 MiB-aligned, so those digits are the offset in the slice (mod
#     1 MiB) and still checked; hashed %pK values (0x00000000 + 8 digits) and,
#     under mask-addresses, all of them are masked whole;
#   - the kernel log's [seconds.micros] stamps;
#   - symbol offsets in %pS (+0x506/0xd30: code layout differs per build);
#   - in ftrace lines: pid, CPU, flags, timestamp, and the kworker's numbers;
#   - kernel releases (6.1.0-57-amd64, 6.12.95+deb12-cloud-amd64: uname -r).
#
# doctest_run writes WORKDIR/report (one entry per mismatch: file:line, the
# command, a unified diff expected -> actual after masking), WORKDIR/times (each
# command's seconds, slowest first) and, if REWRITTEN is
# given, a copy of FILE with every shown output replaced by the actual one
# (unmasked): copy it over the document to re-capture all outputs at once.

# doctest_mask [mask-addresses]: the masks above, stdin to stdout.
doctest_mask() {
	local full=${1:-}
	local -a e=(-e 's/0x00000000[0-9a-f]{8}([^0-9a-f]|$)/0x00000000<hashed>\1/g')
	if [[ $full == mask-addresses ]]; then
		e+=(-e 's/0x[0-9a-f]{16}([^0-9a-f]|$)/0x<address>\1/g')
	else
		e+=(-e 's/0x[0-9a-f]{11}([0-9a-f]{5})([^0-9a-f]|$)/0x<address>\1\2/g')
	fi
	e+=(-e 's/^\[ *[0-9]+\.[0-9]+\]/[<time>]/'
		-e 's/\+0x[0-9a-f]+\/0x[0-9a-f]+/+<off>\/<len>/g'
		-e 's/^( *[^ ]+)-[0-9]+ +\[[0-9]+\] +[^ ]+ +[0-9]+\.[0-9]+:/\1-<pid> [<cpu>] <flags> <time>:/'
		-e 's/^( *)kworker\/[0-9]+:[0-9]+H?-/\1kworker\/<n>-/'
		-e 's/[0-9]+\.[0-9]+\.[0-9]+[-+][0-9A-Za-z.+-]*[A-Za-z0-9]/<release>/g')
	sed -E "${e[@]}"
}

# doctest_man2md: a man page's examples in the Markdown markup, one line out for
# each line in, so line numbers stay those of the man page.
doctest_man2md() {
	awk '
	{ l[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			if (l[i] ~ /^\.\\" doctest:/) {
				opts = l[i]; sub(/^\.\\" doctest: */, "", opts); print "."; continue
			}
			# an example block is an .EX whose first line is a prompt
			if (l[i] ~ /^\.EX/ && l[i + 1] ~ /^[#$] /) {
				print "```console status-only " opts; opts = ""; inex = 1; cont = 0; continue
			}
			if (inex && l[i] ~ /^\.EE/) { print "```"; inex = 0; continue }
			if (!inex) { print "."; continue }
			line = l[i]
			gsub(/\\-/, "-", line); gsub(/\\\(aq/, "\047", line); gsub(/\\e/, "\\", line)
			if (cont) out = "> " line
			else if (line ~ /^[#$] /) out = "$ " substr(line, 3)
			else out = line
			cont = (line ~ /\\$/)
			print out
		}
	}'
}

# _doctest_parse MODE DIR [ACTUALDIR]: read Markdown on stdin.
# MODE extract: write DIR/script.sh and, per command N, DIR/N.{exp,cmd,line,opts}.
# MODE rewrite: print the document with each command's output lines replaced by
# ACTUALDIR/N.out.
_doctest_parse() {
	awk -v mode="$1" -v dir="$2" -v act="${3:-}" '
	function endcmd() {
		if (n && state != "") {
			if (mode == "extract") close(dir "/" n ".exp")
			if (mode == "rewrite" && !skip && !keep) {
				f = act "/" n ".out"
				while ((getline l < f) > 0) print l
				close(f)
			}
		}
		state = ""
	}
	function startcmd(text) {
		n++
		state = "cmd"
		if (mode == "extract") {
			printf "" > (dir "/" n ".exp")
			print text > (dir "/" n ".cmd")
			print FILENAME_LINE > (dir "/" n ".line")
			print opts_blk > (dir "/" n ".opts")
			close(dir "/" n ".line"); close(dir "/" n ".opts")
			print "read -r __doctest_t0 _ </proc/uptime" > script
			print "{" > script
			print text > script
		}
	}
	function flushcmd() {
		if (mode == "extract" && state == "cmd") {
			close(dir "/" n ".cmd")
			printf "} >\"%s/%d.out\" 2>&1 </dev/null\necho $? >\"%s/%d.rc\"\n", dir, n, dir, n > script
			printf "read -r __doctest_t1 _ </proc/uptime\necho \"$__doctest_t0 $__doctest_t1\" >\"%s/%d.time\"\n", dir, n > script
		}
	}
	BEGIN { script = dir "/script.sh"; n = 0; inblk = 0; opts = "" }
	{ FILENAME_LINE = NR }
	!inblk && /^<!-- doctest: .* -->$/ {
		opts = $0; sub(/^<!-- doctest: */, "", opts); sub(/ *-->$/, "", opts)
		if (mode == "rewrite") print
		next
	}
	!inblk && /^```console/ {
		# options: the comment before the fence and words after "console"
		info = $0; sub(/^```console */, "", info)
		inblk = 1; opts_blk = opts " " info; opts = ""
		skip = (opts_blk ~ /(^| )skip( |$)/)
		keep = (opts_blk ~ /(^| )status-only( |$)/)
		if (mode == "rewrite") print
		next
	}
	inblk && /^```[ \t]*$/ {
		if (!skip) { flushcmd(); endcmd() }
		inblk = 0
		if (mode == "rewrite") print
		next
	}
	inblk && !skip {
		if (substr($0, 1, 2) == "$ ") {
			flushcmd(); endcmd()
			startcmd(substr($0, 3))
			if (mode == "rewrite") print
			next
		}
		if (state == "cmd" && substr($0, 1, 2) == "> ") {
			if (mode == "extract") { print substr($0, 3) > (dir "/" n ".cmd"); print substr($0, 3) > script }
			if (mode == "rewrite") print
			next
		}
		if (state == "") {
			if (!bad)
				printf "doctest: line %d: output before any \"$ \" command\n", NR > "/dev/stderr"
			bad++
			next
		}
		flushcmd()
		state = "out"
		if (mode == "extract") print > (dir "/" n ".exp")
		if (mode == "rewrite" && keep) print
		next
	}
	!inblk && opts != "" && !/^[ \t]*$/ { opts = "" }
	mode == "rewrite" { print }
	END {
		if (inblk && !skip) { flushcmd(); endcmd() }
		if (mode == "extract") print n > (dir "/count")
		if (bad > 1) printf "doctest: %d such lines\n", bad > "/dev/stderr"
		exit (bad != 0)
	}'
}

# doctest_run FILE WORKDIR [REWRITTEN]: see the top of this file. The commands run
# in $DOCTEST_CWD, or else WORKDIR/cwd, which the caller may lay out first.
doctest_run() {
	local doc=${1:?doctest_run: FILE} dir=${2:?doctest_run: WORKDIR} rewritten=${3:-}
	local md n i name bad=0
	mkdir -p "$dir/cwd" "$dir/x"
	dir=$(cd "$dir" && pwd)
	rm -f "$dir"/x/* "$dir/report"
	md=$dir/doc.md
	if [[ $doc == *.1 ]]; then doctest_man2md <"$doc" >"$md"; else cp "$doc" "$md"; fi
	if ! _doctest_parse extract "$dir/x" <"$md" 2>"$dir/x/parse.err"; then
		{ echo "doctest: $doc: bad markup:"; cat "$dir/x/parse.err"; } >>"$dir/report"
		return 1
	fi
	n=$(cat "$dir/x/count")
	if ((n == 0)); then
		echo "doctest: $doc: no examples found" >>"$dir/report"
		return 1
	fi
	# a hung example must not hang the boot: the whole document gets 300 s
	(cd "${DOCTEST_CWD:-$dir/cwd}" && timeout "${DOCTEST_TIMEOUT:-300}" bash "$dir/x/script.sh" \
		</dev/null >"$dir/x/script.log" 2>&1 3>&-) ||
		echo "doctest: $doc: the examples stopped with status $? (timeout: ${DOCTEST_TIMEOUT:-300} s)" >>"$dir/report"
	name=${doc##*/}
	# Few processes, not a few per command: forks are slow under TCG. One awk
	# gathers every command's files into two streams with a "\001 N" line before
	# each command (and the metadata), sed masks each stream once (both ways),
	# one awk compares; diff runs only for the commands that differ.
	awk -v n="$n" -v x="$dir/x" '
	function slurp(f, out,   l) {
		while ((getline l < f) > 0) print l > out
		close(f)
	}
	BEGIN {
		for (i = 1; i <= n; i++) {
			getline line < (x "/" i ".line"); close(x "/" i ".line")
			opts = ""; getline opts < (x "/" i ".opts"); close(x "/" i ".opts")
			cmd = ""; getline cmd < (x "/" i ".cmd"); close(x "/" i ".cmd")
			rc = "none"; getline rc < (x "/" i ".rc"); close(x "/" i ".rc")
			t = "0 0"; getline t < (x "/" i ".time"); close(x "/" i ".time")
			split(t, tt, " ")
			printf "%d\t%s\t%s\t%s\t%.2f\t%s\n", i, line, rc, opts, tt[2] - tt[1], cmd > (x "/meta")
			print "\001 " i > (x "/all.exp"); slurp(x "/" i ".exp", x "/all.exp")
			print "\001 " i > (x "/all.out"); slurp(x "/" i ".out", x "/all.out")
		}
	}' </dev/null
	local f
	for f in exp out; do
		doctest_mask <"$dir/x/all.$f" >"$dir/x/all.$f.m"
		doctest_mask mask-addresses <"$dir/x/all.$f" >"$dir/x/all.$f.M"
	done
	awk -F '\t' -v x="$dir/x" -v name="$name" '
	function load(f, arr,   l, k) {
		while ((getline l < f) > 0) {
			if (l ~ /^\001 [0-9]+$/) { k = substr(l, 3) + 0; arr[k] = ""; continue }
			arr[k] = arr[k] l "\n"
		}
		close(f)
	}
	BEGIN {
		load(x "/all.exp.m", em); load(x "/all.out.m", om)
		load(x "/all.exp.M", eM); load(x "/all.out.M", oM)
	}
	{
		i = $1; head = name ":" $2 ": $ " $6
		full = (" " $4 " " ~ / mask-addresses /)
		if ($3 == "none") {
			print head; print "  never ran (the script stopped before it); script log:"
			while ((getline l < (x "/script.log")) > 0) print "  | " l
			bad = 1; exit
		}
		if ($3 != 0) {
			print head; print "  exit status " $3 " (an example must exit 0); it printed:"
			f = x "/" i ".out"
			while ((getline l < f) > 0) print "  | " l
			close(f); bad = 1
		}
		if (" " $4 " " ~ / status-only /) next
		e = full ? eM[i] : em[i]; o = full ? oM[i] : om[i]
		if (e != o) {
			printf "%s", e > (x "/" i ".exp.m"); close(x "/" i ".exp.m")
			printf "%s", o > (x "/" i ".out.m"); close(x "/" i ".out.m")
			print head; print "  output differs (--- the document, +++ this run, after masking):"
			print "\001 " i
			bad = 1
		}
	}
	END { exit bad }' "$dir/x/meta" >"$dir/x/report.raw" || bad=1
	local l
	while IFS= read -r l; do
		if [[ $l == $'\001 '* ]]; then
			i=${l#* }
			diff -u "$dir/x/$i.exp.m" "$dir/x/$i.out.m" | tail -n +3 | sed 's/^/  /'
		else
			printf '%s\n' "$l"
		fi
	done <"$dir/x/report.raw" >>"$dir/report"
	# WORKDIR/times: seconds, file:line and command of each example, slowest first
	awk -F '\t' -v name="$name" '{ printf "%s %s:%s $ %s\n", $5, name, $2, $6 }' \
		"$dir/x/meta" | sort -rn >"$dir/times"
	if [[ -n $rewritten ]]; then
		for ((i = 1; i <= n; i++)); do
			[[ -f $dir/x/$i.out ]] || : >"$dir/x/$i.out"
		done
		_doctest_parse rewrite "$dir/x" "$dir/x" <"$md" >"$rewritten"
	fi
	return "$bad"
}
