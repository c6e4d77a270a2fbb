#!/bin/bash
# Build (once) and print kvalab's debug kernel; see build-kernel.sh (flavour debug).
exec "$(dirname "${BASH_SOURCE[0]}")/build-kernel.sh" debug "$@"
