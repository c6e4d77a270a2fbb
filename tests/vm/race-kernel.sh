#!/bin/bash
# Build (once) and print kvalab's race kernel (KCSAN, lockdep, DEBUG_PAGEALLOC,
# page poisoning); see build-kernel.sh (flavour race).
exec "$(dirname "${BASH_SOURCE[0]}")/build-kernel.sh" race "$@"
