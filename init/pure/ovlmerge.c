// SPDX-License-Identifier: MIT
/* Pure: the overlayfs lookup rule for one name over the layers (ovlmerge.h). */
#include "pure/ovlmerge.h"

bool ovl_merge_layer(struct ovl_merge *m, enum ovl_kind k)
{
	if (m->stop || k == OVL_ABSENT)
		return false;
	/* Under a directory, a non-directory or a whiteout of a lower layer
	 * ends the merge, as in the kernel's ovl_lookup_single. */
	if (k == OVL_WHITEOUT || k == OVL_OTHER) {
		if (k == OVL_OTHER && m->result == OVL_NONE)
			m->result = OVL_FILE;
		m->stop = true;
		return false;
	}
	m->result = OVL_MERGED_DIR;
	m->stop = k == OVL_OPAQUE_DIR;
	return true;
}
