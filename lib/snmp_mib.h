/* SPDX-License-Identifier: GPL-2.0-or-later */
/* snmp_mib.h - MIB subtrees as data: OIDs, typed values, scalar and table lookup (no net-snmp) */
#ifndef KA_SNMP_MIB_H
#define KA_SNMP_MIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/*
 * A MIB module answers GET and GETNEXT for one subtree (its root). It is a
 * list of nodes in OID order below the root: scalars (instance ".0") and
 * conceptual tables (objects root.sub.1.column.index). The code here only
 * does the OID arithmetic and ordering; the values come from callbacks, so
 * a module can be tested without an SNMP agent (lib/snmp_agent.h serves
 * modules over AgentX).
 *
 * Tables are walked through a row cursor: row(first=true) moves to the
 * first row, row(first=false) to the next one; each call fills the row's
 * index (the OID part after the column). Rows may come in any order: the
 * lookup finds the smallest index itself, so sources just iterate their
 * objects. A column a row does not have (get() returns false) is skipped,
 * as SNMP wants for "this column should not exist in the current row".
 */

#define SNMP_OID_MAX 64

struct snmp_oid {
	uint32_t v[SNMP_OID_MAX];
	size_t len;
};

/* SMI types a value can have (the BER type is chosen by the agent). */
enum snmp_type {
	SNMP_T_INTEGER,   /* Integer32, enumerations, TruthValue, RowStatus */
	SNMP_T_GAUGE,     /* Gauge32 and Unsigned32 (same encoding) */
	SNMP_T_COUNTER32,
	SNMP_T_COUNTER64,
	SNMP_T_TIMETICKS, /* TimeTicks and TimeStamp, centiseconds */
	SNMP_T_STRING,    /* OCTET STRING: DisplayString, InetAddress, MacAddress */
	SNMP_T_IPADDRESS, /* IpAddress: 4 bytes, network order */
};

#define SNMP_VALUE_MAX 255

struct snmp_value {
	enum snmp_type type;
	int64_t i;                    /* SNMP_T_INTEGER */
	uint64_t u;                   /* gauges, counters, timeticks */
	size_t len;                   /* STRING, IPADDRESS */
	uint8_t buf[SNMP_VALUE_MAX];  /* copied bytes, so sources need not keep them */
};

/* Value setters; each returns true so a get() can end with `return snmp_val_...`. */
bool snmp_val_int(struct snmp_value *v, int64_t x);
bool snmp_val_gauge(struct snmp_value *v, uint64_t x);   /* clamped to 32 bits */
bool snmp_val_counter32(struct snmp_value *v, uint64_t x); /* wraps modulo 2^32 */
bool snmp_val_counter64(struct snmp_value *v, uint64_t x);
bool snmp_val_ticks(struct snmp_value *v, uint64_t centiseconds);
/* DisplayString; NULL gives "". Longer text is cut at SNMP_VALUE_MAX bytes. */
bool snmp_val_str(struct snmp_value *v, const char *s);
bool snmp_val_bytes(struct snmp_value *v, const void *p, size_t n);
/* Boolean as a two-value enumeration: yes ? 1 : 2 (TruthValue, enabled/disabled). */
bool snmp_val_bool(struct snmp_value *v, bool yes);
/* InetAddress (4 or 16 bytes; empty when a is NULL or unset) and InetAddressType
 * (ipv4(1), ipv6(2), unknown(0)). */
bool snmp_val_inet(struct snmp_value *v, const struct ka_addr *a);
bool snmp_val_inet_type(struct snmp_value *v, const struct ka_addr *a);
/* IpAddress: the IPv4 address, 0.0.0.0 when a is not IPv4. */
bool snmp_val_ipaddr(struct snmp_value *v, const struct ka_addr *a);

/* OID helpers. Appending past SNMP_OID_MAX is ignored (and cannot happen
 * with the indexes used here). */
int snmp_oid_cmp(const uint32_t *a, size_t alen, const uint32_t *b, size_t blen);
void snmp_oid_set(struct snmp_oid *o, const uint32_t *v, size_t n);
void snmp_oid_push(struct snmp_oid *o, uint32_t id);
void snmp_oid_append(struct snmp_oid *o, const uint32_t *v, size_t n);
/* Index encodings: InetAddress as an index (length then bytes), IpAddress
 * (4 bytes, no length). */
void snmp_oid_push_inet(struct snmp_oid *o, const struct ka_addr *a);
void snmp_oid_push_ipaddr(struct snmp_oid *o, const struct ka_addr *a);

/* Where a table cursor stands; a and b are the source's own positions
 * (e.g. instance and address number). */
struct snmp_row {
	size_t a, b;
	struct snmp_oid idx;
};

struct snmp_table {
	uint32_t first_col, last_col;  /* accessible columns */
	/* Move to the first (first=true) or next row and fill r->idx; false
	 * when there is none. */
	bool (*row)(void *arg, struct snmp_row *r, bool first);
	/* Column col of row r into v; false if the row has no such column. */
	bool (*get)(void *arg, const struct snmp_row *r, uint32_t col, struct snmp_value *v);
};

#define SNMP_SUB_MAX 4

struct snmp_node {
	uint32_t sub[SNMP_SUB_MAX];    /* position below the module root */
	size_t sublen;
	const struct snmp_table *table; /* NULL: a scalar */
	unsigned id;                    /* scalar: passed to the module's scalar() */
};

struct snmp_module {
	const char *name;               /* for logs and the agent's registry */
	uint32_t root[SNMP_OID_MAX / 2];
	size_t rootlen;
	const struct snmp_node *nodes;  /* in OID order, subtrees disjoint */
	size_t nnodes;
	/* Scalar id into v; false when it has no value now. */
	bool (*scalar)(void *arg, unsigned id, struct snmp_value *v);
};

/* GET: the value of the object instance q. Returns 0, or -1 when the
 * module has no such instance. */
int snmp_mib_get(const struct snmp_module *m, void *arg, const uint32_t *q, size_t qlen,
		 struct snmp_value *v);

/* GETNEXT: the first instance after q (which may lie outside the module)
 * into *out and v. Returns 0, or -1 when the module has nothing after q. */
int snmp_mib_next(const struct snmp_module *m, void *arg, const uint32_t *q, size_t qlen,
		  struct snmp_oid *out, struct snmp_value *v);

/* OID of a node of m (root + sub) into o: the base for table cells and
 * scalars in notifications. */
void snmp_mib_node_oid(const struct snmp_module *m, const uint32_t *sub, size_t sublen,
		       struct snmp_oid *o);

/* ---- notifications ---- */

#define SNMP_TRAP_MAX_VB 16

struct snmp_varbind {
	struct snmp_oid oid;
	struct snmp_value v;
};

struct snmp_trap {
	const char *name;              /* for the log line */
	struct snmp_oid trap_oid;      /* snmpTrapOID.0 */
	struct snmp_varbind vb[SNMP_TRAP_MAX_VB];
	size_t n;
};

void snmp_trap_init(struct snmp_trap *t, const char *name, const uint32_t *oid, size_t len);

/* Append a varbind whose OID is base + col (if non-zero) + idx (may be
 * NULL); returns its value to fill, or NULL when the trap is full. */
struct snmp_value *snmp_trap_add(struct snmp_trap *t, const struct snmp_oid *base, uint32_t col,
				 const struct snmp_oid *idx);

#endif
