/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every encoder works with (encoder.c): the output format, the encoder's state (record ids,
 * its buffers), an encoded record for the sinks, and the parts of a record every format shares
 * (the id, the JSON envelope, the text line).
 */
#ifndef UW_ENCODER_H
#define UW_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "json.h"
#include "rfc3339.h"

/* The version of the JSON lines' schema (include/userns-watch.schema.json), in every record. */
#define UW_SCHEMA_VERSION "1.0.0"

enum uw_format { UW_OUT_TEXT = 0, UW_OUT_JSON = 1, UW_OUT_ECS = 2, UW_OUT_OCSF = 3 };

/* An encoded record, ready for the sinks; valid until the encoder's next record. */
struct uw_rec {
	const char *buf;           /* the whole record, its newline included */
	size_t len;
	uint64_t ts_real_ns;       /* its time (syslog's header) */
	const char *event;         /* "host_userns", …, "stats", "policy", "alert_limit", "compliance" */
	const char *severity;
	int alert;                 /* an alert record (the /metrics tally counts it): kind, runtime */
	enum uw_alert_kind kind;
	const char *runtime;
};

struct uw_encoder {
	enum uw_format fmt;
	int verbose;               /* text: rule, full IDs, namespaces and cgroup paths too */
	int colour;                /* text: severity in colour (a terminal, NO_COLOR unset) */
	const char *host;
	const char *cluster;       /* --cluster-name, or NULL */
	char run_id[17];           /* 64 random bits, hex: this run's part of every record's id */
	uint64_t seq;              /* records encoded so far: the other part */
	struct uw_json j;          /* the JSON record being made */
	char *text;                /* the text line being made */
	size_t text_cap;
	/* the last capability set encoded, rendered as its JSON array (a violating container's
	 * processes mostly share one): reused while the set is the same */
	uint64_t caps_mask;
	struct uw_json caps;       /* empty (len 0) until a set is rendered */
};

/* A record about the policy itself ("event": "policy"): action "loaded", "reloaded",
 * "rejected" (the file read again, at SIGHUP or because it changed, is not valid; the rules in
 * force stay), or "expired" (rule). */
struct uw_policy_note {
	uint64_t ts_real_ns;
	const char *action;
	const char *file;          /* or NULL */
	const char *rule;          /* expired: the rule; else NULL, and rules says how many */
	size_t rules;
	const char *error;         /* rejected: why; else NULL */
	const char *trigger;       /* reloaded, rejected: "signal" (SIGHUP) or "file" (it changed);
				    * else NULL */
};

/* Every JSON record's "id" is "<run_id>-<sequence>": unique across nodes and restarts (the
 * run ID is random), the same for a record delivered twice. */
void uw_encoder_init(struct uw_encoder *e, enum uw_format fmt, const char *host);
void uw_encoder_free(struct uw_encoder *e);

/* (len - 1) / 2 random bytes (at most 32) as hex digits, and a NUL. */
void uw_random_hex(char *buf, size_t len);

#define UW_ID_LEN 40 /* "<run_id>-<sequence>": 16 + 1 + 20 digits + NUL fit */

/* For the encoders (encode_json.c, encode_text.c, encode.c) only: */
/* The next record's "id" into id (UW_ID_LEN bytes). */
void uw_enc_next_id(struct uw_encoder *e, char *id);
/* A JSON record's first fields; with -o ecs, the ECS document's fields first and the record
 * under "userns_watch" (a: the alert, NULL for other records); -o ocsf likewise ("unmapped"). */
void uw_enc_json_envelope(struct uw_encoder *e, uint64_t ts, const char *event, const char *sev,
			  const struct uw_alert *a);
/* Ends the JSON record (and the ECS document or OCSF event around it) and fills r. */
int uw_enc_json_end(struct uw_encoder *e, struct uw_rec *r);
/* Fills r with the JSON value made so far, as it is. */
int uw_enc_json_raw_end(struct uw_encoder *e, struct uw_rec *r);
/* printf into the text line and fill r with it. */
__attribute__((format(printf, 3, 4))) int uw_enc_text(struct uw_encoder *e, struct uw_rec *r,
							const char *fmt, ...);

#endif
