// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Runtime metadata parsers (user/metadata.c), the first byte choosing which: OCI config.json,
 * Docker's config.v2.json and hostconfig.json, an LXC config. Invariants: every field terminated
 * within its buffer; userns_requested -1, 0 or 1; a JSON file that jansson does not take whole
 * and strict gives no field at all.
 */
#include <jansson.h>

#include "fuzz.h"
#include "metadata.h"

static int strict_ok(const uint8_t *d, size_t n)
{
	json_error_t e;
	json_t *o = json_loadb((const char *)d, n, JSON_REJECT_DUPLICATES, &e);
	int ok = o && json_is_object(o);

	json_decref(o);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct uw_meta m;
	int rc = 0;

	if (n < 1)
		return 0;
	uw_meta_init(&m);
	switch (d[0] % 4) {
	case 0: rc = uw_meta_parse_oci((const char *)d + 1, n - 1, &m); break;
	case 1: rc = uw_meta_parse_docker_config((const char *)d + 1, n - 1, &m); break;
	case 2: rc = uw_meta_parse_docker_hostconfig((const char *)d + 1, n - 1, &m); break;
	case 3: rc = uw_meta_parse_lxc_config((const char *)d + 1, n - 1, &m); break;
	}
	FUZZ_CHECK(fuzz_terminated(m.name, sizeof(m.name)) && fuzz_terminated(m.image, sizeof(m.image)) &&
		   fuzz_terminated(m.pod_name, sizeof(m.pod_name)) &&
		   fuzz_terminated(m.pod_namespace, sizeof(m.pod_namespace)) &&
		   fuzz_terminated(m.pod_uid, sizeof(m.pod_uid)) &&
		   fuzz_terminated(m.userns_mode, sizeof(m.userns_mode)) &&
		   fuzz_terminated(m.source, sizeof(m.source)) && fuzz_terminated(m.error, sizeof(m.error)));
	FUZZ_CHECK(m.userns_requested >= -1 && m.userns_requested <= 1);
	if (d[0] % 4 != 3) {
		FUZZ_CHECK((rc == 0) == strict_ok(d + 1, n - 1));
		if (rc)
			FUZZ_CHECK(!m.name[0] && !m.image[0] && !m.pod_name[0] && m.userns_requested == -1 &&
				   !m.have_userns_mode);
	}
	return 0;
}
