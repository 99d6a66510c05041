/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_report.c - runtime state of the VRRP engine for SIGUSR1, SIGUSR2 and JSON dumps */
#include <inttypes.h>
#include <string.h>

#include "ev.h"
#include "json.h"
#include "vrrp/vrrp_bfd.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_nl.h"
#include "vrrp/vrrp_sock.h"
#include "vrrp/vrrp_sync.h"
#include "vrrp/vrrp_track.h"
#include "vrrp/vrrp_vmac.h"
#include "vrrp/vrrp_track_proc.h"

static const char *const fault_names[] = {
	"interface missing", "interface down", "tracked interface down", "tracker failed",
	"no source address", "no socket", "sync group fault", "no unicast peer",
};

static void dump_timer(FILE *out, const char *what, const struct ev_timer *t)
{
	if (t)
		fprintf(out, "   %s = %" PRIu64 " ms\n", what, ev_timer_remaining(t) / 1000);
}

static void dump_addrs(FILE *out, const struct vrrp_inst *vi, const char *title,
		       const struct cfg_list *l)
{
	char buf[KA_ADDR_STRLEN];

	if (!l->n)
		return;
	fprintf(out, "   %s = %zu\n", title, l->n);
	cfg_list_for_each(const struct vrrp_ipaddr, ip, l) {
		int idx = vrrp_vmac_ip_ifindex(vi, ip);
		bool present = idx && vrrp_nl_has_addr(vi->eng->nl, &ip->addr, idx);

		fprintf(out, "     %s dev %s%s\n", ka_addr_str(&ip->addr, buf),
			ip->dev ? ip->dev : vi->ifname[0] ? vi->ifname : "(default)",
			present ? " (present)" : "");
	}
}

static void dump_inst(FILE *out, const struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	char buf[KA_ADDR_STRLEN];

	fprintf(out, " VRRP Instance = %s\n", c->name);
	fprintf(out, "   State = %s\n", vrrp_state_str(vi->state));
	fprintf(out, "   Wanted State = %s\n", c->state == VRRP_WISH_MASTER ? "MASTER" : "BACKUP");
	fprintf(out, "   Interface = %s (index %d)\n", vi->ifname[0] ? vi->ifname : "(none)",
		vi->ifindex);
	if (vi->vrf_ifindex || c->vrf)
		fprintf(out, "   VRF = %s (index %d)\n", vi->vrf_ifindex ? vi->vrf_name : c->vrf,
			vi->vrf_ifindex);
	if (vi->sock)
		fprintf(out, "   Socket bound to = %s\n",
			vi->sock->ifname[0] ? vi->sock->ifname : "(any)");
	fprintf(out, "   Virtual Router ID = %d, version %d, %s\n", c->vrid, c->version,
		vi->npeers ? "unicast" : "multicast");
	vrrp_vmac_dump(vi, out);
	fprintf(out, "   Source address = %s\n",
		vi->saddr.family ? ka_addr_str(&vi->saddr, buf) : "(none)");
	fprintf(out, "   Base priority = %d\n   Effective priority = %d\n", vi->base_prio,
		vi->prio);
	fprintf(out, "   Advert interval = %" PRIu64 " ms, master's = %" PRIu64 " ms\n",
		vi->adver_int / 1000, vi->master_adver_int / 1000);
	if (vi->master_addr.family)
		fprintf(out, "   Master router = %s priority %d\n",
			ka_addr_str(&vi->master_addr, buf), vi->master_prio);
	for (size_t i = 0; i < sizeof(fault_names) / sizeof(fault_names[0]); i++)
		if (vi->fault & (1u << i))
			fprintf(out, "   Fault = %s\n", fault_names[i]);
	fprintf(out, "   Preempt = %s, preempt delay %" PRIu64 " ms\n",
		c->nopreempt ? "no" : "yes", c->preempt_delay / 1000);
	dump_timer(out, vi->state == VRRP_STATE_MASTER ? "Advert timer" : "Master-down timer",
		   vi->timer);
	dump_timer(out, "Preempt delay timer", vi->preempt_timer);
	dump_timer(out, "GARP timer", vi->garp.timer);
	fprintf(out, "   VIPs set = %s\n", vi->vips_set ? "yes" : "no");
	dump_addrs(out, vi, "Virtual IP", &c->vips);
	dump_addrs(out, vi, "Virtual IP excluded", &c->evips);
	fprintf(out, "   Virtual routes = %zu, virtual rules = %zu\n", c->vroutes.n, c->vrules.n);
	if (vi->sync)
		fprintf(out, "   Sync group = %s\n", vi->sync->cfg->name);
	fprintf(out, "   Transitions = %" PRIu64 "\n", vi->stats.transitions);
	for (int r = 1; r < VRRP_DROP_MAX; r++)
		if (vi->stats.drops[r])
			fprintf(out, "   Dropped (%s) = %" PRIu64 "\n",
				vrrp_drop_str((enum vrrp_drop)r), vi->stats.drops[r]);
}

void vrrp_engine_dump(const struct vrrp_engine *eng, FILE *out)
{
	fprintf(out, " VRRP instances: %zu\n", eng->ninst);
	for (size_t i = 0; i < eng->ninst; i++)
		dump_inst(out, eng->inst[i]);
	for (size_t i = 0; i < eng->ngroups; i++)
		fprintf(out, " VRRP sync group = %s, state %s, %zu member%s\n",
			eng->groups[i]->cfg->name, vrrp_state_str(eng->groups[i]->state),
			eng->groups[i]->n, eng->groups[i]->n == 1 ? "" : "s");
	fprintf(out, " Adverts for unknown VRIDs = %" PRIu64 "\n", eng->socks.unknown_vrid);
	fprintf(out, " Packets dropped before VRID = %" PRIu64 "\n", eng->socks.bad_packets);
	vrrp_track_dump(eng->trk, out);
	vrrp_tproc_dump(eng->tproc, out);
	vrrp_bfd_dump(eng->bfd, out);
}

/* ---- SIGUSR2 ------------------------------------------------------------------ */

void vrrp_engine_stats(struct vrrp_engine *eng, FILE *out, bool clear)
{
	for (size_t i = 0; i < eng->ninst; i++) {
		struct vrrp_inst_stats *s = &eng->inst[i]->stats;

		fprintf(out, "VRRP Instance: %s\n", eng->inst[i]->cfg->name);
		fprintf(out, "  Advertisements:\n    Received: %" PRIu64 "\n    Sent: %" PRIu64
			"\n", s->advert_rcvd, s->advert_sent);
		fprintf(out, "  Became master: %" PRIu64 "\n  Released master: %" PRIu64 "\n",
			s->become_master, s->release_master);
		fprintf(out, "  Packet Errors:\n    Length: %" PRIu64 "\n    TTL: %" PRIu64 "\n"
			"    Invalid Type: %" PRIu64 "\n    Advertisement Interval: %" PRIu64 "\n"
			"    Address List: %" PRIu64 "\n", s->packet_len_err, s->ip_ttl_err,
			s->invalid_type_rcvd, s->advert_interval_err, s->addr_list_err);
		fprintf(out, "  Authentication Errors:\n    Invalid Type: %" PRIu64 "\n"
			"    Type Mismatch: %" PRIu64 "\n    Failure: %" PRIu64 "\n",
			s->invalid_authtype, s->authtype_mismatch, s->auth_failure);
		fprintf(out, "  Priority Zero:\n    Received: %" PRIu64 "\n    Sent: %" PRIu64
			"\n", s->pri_zero_rcvd, s->pri_zero_sent);
		if (clear)
			memset(s, 0, sizeof(*s));
	}
}

/* ---- JSON --------------------------------------------------------------------- */

static void json_key_str(FILE *out, const char *key, const char *val)
{
	fprintf(out, ",\"%s\":", key);
	json_str(out, val);
}

static void json_addrs(FILE *out, const char *key, const struct cfg_list *l)
{
	char buf[KA_ADDR_STRLEN];
	bool first = true;

	fprintf(out, ",\"%s\":[", key);
	cfg_list_for_each(const struct vrrp_ipaddr, ip, l) {
		fputs(first ? "" : ",", out);
		json_str(out, ka_addr_str(&ip->addr, buf));
		first = false;
	}
	fputc(']', out);
}

static void json_data(FILE *out, const struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	char buf[KA_ADDR_STRLEN];

	fputs("{\"iname\":", out);
	json_str(out, c->name);
	json_key_str(out, "ifp_ifname", vi->ifname);
	json_key_str(out, "vrf_ifname", vi->vrf_name);
	json_key_str(out, "state_name", vrrp_state_str(vi->state));
	fprintf(out, ",\"state\":%d,\"wantstate\":%d,\"vrid\":%d,\"version\":%d"
		",\"base_priority\":%d,\"effective_priority\":%d,\"master_priority\":%d"
		",\"adver_int\":%g,\"master_adver_int\":%g"
		",\"nopreempt\":%d,\"preempt_delay\":%g,\"accept\":%d"
		",\"dont_track_primary\":%d,\"skip_check_adv_addr\":%d,\"strict_mode\":%d"
		",\"vipset\":%d,\"fault\":%u",
		(int)vi->state, c->state == VRRP_WISH_MASTER ? 2 : 1, c->vrid, c->version,
		vi->base_prio, vi->prio, vi->master_prio, vi->adver_int / 1e6,
		vi->master_adver_int / 1e6, c->nopreempt, c->preempt_delay / 1e6,
		c->accept > 0, c->dont_track_primary, c->skip_check_adv_addr, c->strict_mode,
		vi->vips_set, vi->fault);
	json_key_str(out, "saddr", vi->saddr.family ? ka_addr_str(&vi->saddr, buf) : "");
	json_key_str(out, "master_addr",
		     vi->master_addr.family ? ka_addr_str(&vi->master_addr, buf) : "");
	json_addrs(out, "vips", &c->vips);
	json_addrs(out, "evips", &c->evips);
	vrrp_vmac_json(vi, out);
	vrrp_tproc_json(vi->eng->tproc, &c->tracks, c->sync ? &c->sync->tracks : NULL, out);
	vrrp_bfd_json(vi->eng->bfd, &c->tracks, c->sync ? &c->sync->tracks : NULL, out);
	fputc('}', out);
}

static void json_stats(FILE *out, const struct vrrp_inst_stats *s)
{
	fprintf(out, "{\"advert_rcvd\":%" PRIu64 ",\"advert_sent\":%" PRIu64
		",\"become_master\":%" PRIu64 ",\"release_master\":%" PRIu64
		",\"packet_len_err\":%" PRIu64 ",\"advert_interval_err\":%" PRIu64
		",\"ip_ttl_err\":%" PRIu64 ",\"invalid_type_rcvd\":%" PRIu64
		",\"addr_list_err\":%" PRIu64 ",\"invalid_authtype\":%" PRIu64
		",\"authtype_mismatch\":%" PRIu64 ",\"auth_failure\":%" PRIu64
		",\"pri_zero_rcvd\":%" PRIu64 ",\"pri_zero_sent\":%" PRIu64 "}",
		s->advert_rcvd, s->advert_sent, s->become_master, s->release_master,
		s->packet_len_err, s->advert_interval_err, s->ip_ttl_err, s->invalid_type_rcvd,
		s->addr_list_err, s->invalid_authtype, s->authtype_mismatch, s->auth_failure,
		s->pri_zero_rcvd, s->pri_zero_sent);
}

void vrrp_engine_json(const struct vrrp_engine *eng, FILE *out)
{
	fputc('[', out);
	for (size_t i = 0; i < eng->ninst; i++) {
		fputs(i ? ",{\"data\":" : "{\"data\":", out);
		json_data(out, eng->inst[i]);
		fputs(",\"stats\":", out);
		json_stats(out, &eng->inst[i]->stats);
		fputc('}', out);
	}
	fputs("]\n", out);
}
