#!/bin/bash
# Build (once) and print kvalab's perf kernel; see build-kernel.sh (flavour perf).
exec "$(dirname "${BASH_SOURCE[0]}")/build-kernel.sh" perf "$@"
