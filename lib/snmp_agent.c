/* SPDX-License-Identifier: GPL-2.0-or-later */
/* snmp_agent.c - net-snmp AgentX sub-agent inside our epoll loop: sessions, handlers, traps */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_sysORTable.h>
#include <net-snmp/library/large_fd_set.h>

#include <stdlib.h>
#include <string.h>

#include "ev.h"
#include "log.h"
#include "snmp_agent.h"
#include "util.h"

#define AGENT_MAX_REGS 8

struct agent_reg {
	struct snmp_agent *agent;
	const struct snmp_module *m;
	void *arg;
	netsnmp_handler_registration *reg;
	oid root[SNMP_OID_MAX];
};

struct snmp_agent {
	struct ev_loop *loop;
	struct ev_timer *timer;
	int fds[16];                   /* net-snmp's sockets we watch */
	size_t nfds;
	struct agent_reg regs[AGENT_MAX_REGS];
	unsigned long traps, requests;
	char name[32];
};

/* net-snmp is process-global, and so is what its log callback needs. */
static bool agent_ever_started;
static char log_line[512];
static size_t log_len;
static char log_last[512];

/* ---- logging ---- */

/* net-snmp hands out pieces of lines; a line goes out when complete. The
 * same line repeated (an absent master, every ping period) drops to debug
 * level after its first appearance. */
static int log_cb(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *slm = serverarg;
	const char *s = slm && slm->msg ? slm->msg : "";
	size_t n = strlen(s);

	if (n >= sizeof(log_line) - log_len)
		n = sizeof(log_line) - log_len - 1;
	memcpy(log_line + log_len, s, n);
	log_len += n;
	log_line[log_len] = '\0';
	if (log_len && log_line[log_len - 1] != '\n' && log_len < sizeof(log_line) - 1)
		return 0;
	while (log_len && (log_line[log_len - 1] == '\n' || log_line[log_len - 1] == ' '))
		log_line[--log_len] = '\0';
	if (log_len) {
		int prio = slm->priority;

		if (!strcmp(log_line, log_last) && prio > LOG_ERR)
			prio = LOG_DEBUG;
		log_msg(prio, "SNMP: %s", log_line);
		memcpy(log_last, log_line, log_len + 1);
	}
	log_len = 0;
	return 0;
}

/* Every session net-snmp opens (the AgentX one) gets a short timeout and
 * no retries: its exchanges are synchronous. */
static int session_init_cb(int major, int minor, void *serverarg, void *clientarg)
{
	netsnmp_session *s = serverarg;

	if (s) {
		s->timeout = SNMP_AGENT_TIMEOUT_US;
		s->retries = 0;
	}
	return 0;
}

/* ---- loop integration ---- */

static void agent_sync(struct snmp_agent *a);

static void fd_cb(struct ev_loop *loop, int fd, unsigned events, void *arg)
{
	struct snmp_agent *a = arg;
	netsnmp_large_fd_set set;

	netsnmp_large_fd_set_init(&set, fd + 1);
	NETSNMP_LARGE_FD_ZERO(&set);
	NETSNMP_LARGE_FD_SET(fd, &set);
	snmp_read2(&set);
	netsnmp_large_fd_set_cleanup(&set);
	netsnmp_check_outstanding_agent_requests();
	agent_sync(a);
}

static void timer_cb(struct ev_loop *loop, void *arg)
{
	struct snmp_agent *a = arg;

	snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
	agent_sync(a);
}

/*
 * Make the loop watch exactly net-snmp's sockets and wake us at its next
 * deadline. Called after every call into net-snmp: a session may have
 * closed (the master went away) or been reopened, possibly on the same fd
 * number, so each socket is registered afresh.
 */
static void agent_sync(struct snmp_agent *a)
{
	netsnmp_large_fd_set set;
	struct timeval tv = { 0, 0 };
	int numfds = 0, block = 1;

	for (size_t i = 0; i < a->nfds; i++)
		ev_fd_del(a->loop, a->fds[i]);
	a->nfds = 0;
	netsnmp_large_fd_set_init(&set, FD_SETSIZE);
	NETSNMP_LARGE_FD_ZERO(&set);
	snmp_select_info2(&numfds, &set, &tv, &block);
	for (int fd = 0; fd < numfds && a->nfds < ARRAY_SIZE(a->fds); fd++) {
		if (!NETSNMP_LARGE_FD_ISSET(fd, &set))
			continue;
		if (ev_fd_add(a->loop, fd, EV_READ, fd_cb, a) < 0)
			log_warn("SNMP: cannot watch socket %d", fd);
		else
			a->fds[a->nfds++] = fd;
	}
	netsnmp_large_fd_set_cleanup(&set);
	ev_cancel(&a->timer);
	if (!block)
		ev_timer_add(a->loop, timer_cb, a,
			     (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec, &a->timer);
}

/* ---- values ---- */

/* The BER type and bytes net-snmp wants for v; scratch holds numbers. */
struct ber_val {
	u_char type;
	const void *p;
	size_t len;
	long l;
	u_long ul;
	struct counter64 c64;
};

static void to_ber(const struct snmp_value *v, struct ber_val *b)
{
	static const u_char types[] = {
		[SNMP_T_INTEGER] = ASN_INTEGER,     [SNMP_T_GAUGE] = ASN_GAUGE,
		[SNMP_T_COUNTER32] = ASN_COUNTER,   [SNMP_T_COUNTER64] = ASN_COUNTER64,
		[SNMP_T_TIMETICKS] = ASN_TIMETICKS, [SNMP_T_STRING] = ASN_OCTET_STR,
		[SNMP_T_IPADDRESS] = ASN_IPADDRESS,
	};

	b->type = types[v->type];
	switch (v->type) {
	case SNMP_T_INTEGER:
		b->l = (long)v->i;
		b->p = &b->l;
		b->len = sizeof(b->l);
		break;
	case SNMP_T_COUNTER64:
		b->c64.high = (u_long)(v->u >> 32);
		b->c64.low = (u_long)(v->u & 0xffffffffu);
		b->p = &b->c64;
		b->len = sizeof(b->c64);
		break;
	case SNMP_T_STRING:
	case SNMP_T_IPADDRESS:
		b->p = v->buf;
		b->len = v->len;
		break;
	default:
		b->ul = (u_long)v->u;
		b->p = &b->ul;
		b->len = sizeof(b->ul);
		break;
	}
}

static void set_value(netsnmp_variable_list *vb, const struct snmp_value *v)
{
	struct ber_val b;

	to_ber(v, &b);
	snmp_set_var_typed_value(vb, b.type, b.p, b.len);
}

/* ---- request handler ---- */

static size_t to_u32(const oid *in, size_t len, uint32_t *out)
{
	if (len > SNMP_OID_MAX)
		len = SNMP_OID_MAX;
	for (size_t i = 0; i < len; i++)
		out[i] = (uint32_t)in[i];
	return len;
}

static void answer(const struct agent_reg *r, netsnmp_agent_request_info *reqinfo,
		   netsnmp_request_info *rq)
{
	netsnmp_variable_list *vb = rq->requestvb;
	uint32_t q[SNMP_OID_MAX];
	size_t qlen = to_u32(vb->name, vb->name_length, q);
	struct snmp_value v;
	struct snmp_oid next;
	oid o[SNMP_OID_MAX];

	if (reqinfo->mode == MODE_GET) {
		if (vb->name_length > SNMP_OID_MAX || snmp_mib_get(r->m, r->arg, q, qlen, &v) < 0)
			netsnmp_set_request_error(reqinfo, rq, SNMP_NOSUCHINSTANCE);
		else
			set_value(vb, &v);
		return;
	}
	if (reqinfo->mode != MODE_GETNEXT)
		return;
	/* nothing here after q: left unanswered, the agent goes on to the
	 * next registered subtree */
	if (snmp_mib_next(r->m, r->arg, q, qlen, &next, &v) < 0)
		return;
	for (size_t i = 0; i < next.len; i++)
		o[i] = next.v[i];
	snmp_set_var_objid(vb, o, next.len);
	set_value(vb, &v);
}

static int handler_cb(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
		      netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	struct agent_reg *r = reginfo->my_reg_void;

	for (netsnmp_request_info *rq = requests; rq; rq = rq->next) {
		if (rq->processed)
			continue;
		answer(r, reqinfo, rq);
		r->agent->requests++;
	}
	return SNMP_ERR_NOERROR;
}

/* ---- public ---- */

static void set_defaults(const char *socket)
{
	snmp_disable_log();
	snmp_enable_calllog();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING, log_cb, NULL);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_SESSION_INIT,
			       session_init_cb, NULL);
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	/* alarms from our loop's timer, never SIGALRM */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	if (socket)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, socket);
}

struct snmp_agent *snmp_agent_start(struct ev_loop *loop, const char *name, const char *socket)
{
	struct snmp_agent *a;
	char *old_mibs;
	bool ok;

	if (agent_ever_started) {
		log_warnx("SNMP: the sub-agent cannot be started twice in one process");
		return NULL;
	}
	agent_ever_started = true;
	a = xcalloc(1, sizeof(*a));
	a->loop = loop;
	snprintf(a->name, sizeof(a->name), "%s", name);
	set_defaults(socket);
	/* A sub-agent needs no MIB files: without this, net-snmp reads and
	 * complains about every module in its path. The environment is put
	 * back at once, as scripts inherit it. */
	old_mibs = getenv("MIBS") ? xstrdup(getenv("MIBS")) : NULL;
	setenv("MIBS", "", 1);
	ok = init_agent(a->name) == 0;
	if (ok) {
		/* after init_agent(), which sets its own default (15 s) */
		netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
				   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, SNMP_AGENT_PING_S);
		init_snmp(a->name);
	}
	if (old_mibs)
		setenv("MIBS", old_mibs, 1);
	else
		unsetenv("MIBS");
	free(old_mibs);
	if (!ok) {
		log_warnx("SNMP: cannot initialise the sub-agent");
		free(a);
		return NULL;
	}
	log_info("SNMP: sub-agent started, master %s", socket ? socket : "at the default socket");
	agent_sync(a);
	return a;
}

void snmp_agent_stop(struct snmp_agent *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < AGENT_MAX_REGS; i++)
		if (a->regs[i].m)
			snmp_agent_unregister(a, a->regs[i].m);
	ev_cancel(&a->timer);
	for (size_t i = 0; i < a->nfds; i++)
		ev_fd_del(a->loop, a->fds[i]);
	snmp_shutdown(a->name);
	shutdown_agent();
	snmp_disable_log();
	free(a);
}

static struct agent_reg *find_reg(const struct snmp_agent *a, const struct snmp_module *m)
{
	for (size_t i = 0; i < AGENT_MAX_REGS; i++)
		if (a->regs[i].m == m)
			return (struct agent_reg *)&a->regs[i];
	return NULL;
}

bool snmp_agent_registered(const struct snmp_agent *a, const struct snmp_module *m)
{
	return a && m && find_reg(a, m);
}

int snmp_agent_register(struct snmp_agent *a, const struct snmp_module *m, void *arg)
{
	struct agent_reg *r;

	if (find_reg(a, m))
		return 0;
	r = find_reg(a, NULL);
	if (!r) {
		log_warnx("SNMP: too many modules, %s not served", m->name);
		return -1;
	}
	r->agent = a;
	r->arg = arg;
	for (size_t i = 0; i < m->rootlen; i++)
		r->root[i] = m->root[i];
	r->reg = netsnmp_create_handler_registration(m->name, handler_cb, r->root, m->rootlen,
						     HANDLER_CAN_RONLY);
	if (!r->reg) {
		log_warnx("SNMP: cannot register %s", m->name);
		return -1;
	}
	r->reg->my_reg_void = r;
	if (netsnmp_register_handler(r->reg) != MIB_REGISTERED_OK) {
		/* net-snmp frees the registration when it refuses it */
		log_warnx("SNMP: the agent refused to register %s", m->name);
		r->reg = NULL;
		return -1;
	}
	r->m = m;
	register_sysORTable(r->root, m->rootlen, m->name);
	agent_sync(a);
	return 0;
}

void snmp_agent_unregister(struct snmp_agent *a, const struct snmp_module *m)
{
	struct agent_reg *r = a ? find_reg(a, m) : NULL;

	if (!r || !m)
		return;
	unregister_sysORTable(r->root, m->rootlen);
	netsnmp_unregister_handler(r->reg);
	memset(r, 0, sizeof(*r));
	agent_sync(a);
}

void snmp_agent_notify(struct snmp_agent *a, const struct snmp_trap *t)
{
	static const oid trap_oid0[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
	netsnmp_variable_list *vars = NULL;
	oid o[SNMP_OID_MAX];
	struct ber_val b;

	if (!a)
		return;
	for (size_t i = 0; i < t->trap_oid.len; i++)
		o[i] = t->trap_oid.v[i];
	snmp_varlist_add_variable(&vars, trap_oid0, OID_LENGTH(trap_oid0), ASN_OBJECT_ID, o,
				  t->trap_oid.len * sizeof(oid));
	for (size_t k = 0; k < t->n; k++) {
		const struct snmp_varbind *vb = &t->vb[k];

		for (size_t i = 0; i < vb->oid.len; i++)
			o[i] = vb->oid.v[i];
		to_ber(&vb->v, &b);
		snmp_varlist_add_variable(&vars, o, vb->oid.len, b.type, b.p, b.len);
	}
	log_info("SNMP: sending notification %s", t->name);
	send_v2trap(vars);
	snmp_free_varbind(vars);
	a->traps++;
	agent_sync(a);
}

void snmp_agent_counters(const struct snmp_agent *a, unsigned long *traps,
			 unsigned long *requests)
{
	*traps = a ? a->traps : 0;
	*requests = a ? a->requests : 0;
}
