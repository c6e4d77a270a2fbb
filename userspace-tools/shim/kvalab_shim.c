// SPDX-License-Identifier: GPL-2.0
/* Storage for the shim's state (see kvalab_shim.h). */
#include "kvalab_shim.h"

unsigned long kvalab_shim_warnings;
bool kvalab_shim_quiet;
