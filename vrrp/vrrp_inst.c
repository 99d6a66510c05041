/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_inst.c - runtime of one VRRP instance: state machine actions, adverts, timers */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "daemon/global_cfg.h"
#include "ev.h"
#include "log.h"
#include "util.h"
#include "vrrp/vrrp_ah.h"
#include "vrrp/vrrp_bfd.h"
#include "vrrp/vrrp_cfg.h"
#include "vrrp/vrrp_engine.h"
#include "vrrp/vrrp_ifdelay.h"
#include "vrrp/vrrp_inst.h"
#include "vrrp/vrrp_lvs_sync.h"
#include "vrrp/vrrp_nl.h"
#include "vrrp/vrrp_notify.h"
#include "vrrp/vrrp_snmp.h"
#include "vrrp/vrrp_sock.h"
#include "vrrp/vrrp_sync.h"
#include "vrrp/vrrp_timer_late.h"
#include "vrrp/vrrp_track.h"
#include "vrrp/vrrp_vmac.h"
#include "vrrp/vrrp_track_proc.h"
#include "vrrp/vrrp_track_group.h"

#define CSEC_US 10000u /* advert interval unit on the wire */

/* Faults found while resolving the link, kept across re-evaluations. */
#define LINK_FAULTS (VRRP_FAULT_NO_IF | VRRP_FAULT_NO_SRC | VRRP_FAULT_SOCKET | \
		     VRRP_FAULT_NO_PEER | VRRP_FAULT_SRC_GONE)

static void main_timer_cb(struct ev_loop *loop, void *arg);
static bool inst_late(struct vrrp_inst *vi);

/* ---- building --------------------------------------------------------------- */

/* The advertised VIPs and the unicast peers, as the codec wants them. */
static void inst_build_lists(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;

	free(vi->vips);
	free(vi->peers);
	vi->nvips = vi->npeers = 0;
	vi->vips = xcalloc(c->vips.n + 1, sizeof(*vi->vips));
	cfg_list_for_each(const struct vrrp_ipaddr, ip, &c->vips)
		if (ip->addr.family == c->family && vi->nvips < VRRP_MAX_ADDRS)
			vi->vips[vi->nvips++] = ip->addr;
	vi->peers = xcalloc(c->unicast_peers.n + 1, sizeof(*vi->peers));
	cfg_list_for_each(const struct vrrp_peer, p, &c->unicast_peers) {
		struct vrrp_pkt_peer *pp = &vi->peers[vi->npeers++];

		pp->addr = p->addr;
		pp->min_ttl = (uint8_t)(p->min_ttl > 0 ? p->min_ttl : 0);
		pp->max_ttl = (uint8_t)(p->max_ttl > 0 && p->max_ttl < 255 ? p->max_ttl : 255);
	}
}

/* Values taken from the configuration (at creation and on reload). */
static void inst_take_cfg(struct vrrp_inst *vi, const struct vrrp_instance_cfg *c)
{
	vi->cfg = c;
	vi->base_prio = (uint8_t)c->priority;
	vi->adver_int = c->advert_int;
	if (!vi->master_adver_int || vi->state != VRRP_STATE_BACKUP || c->version == 2)
		vi->master_adver_int = c->advert_int;
	if (!c->preempt_delay)
		vi->pd = VRRP_PD_NONE;
	else if (vi->pd == VRRP_PD_NONE)
		vi->pd = VRRP_PD_IDLE;
	inst_build_lists(vi);
}

/*
 * The first AH sequence number of a run. Peers drop AH adverts whose
 * number is not above a counter that follows the last number they saw and
 * also counts each advert they send themselves, so a restarted daemon
 * must start above everything the pair has used since its last start. v2
 * (the only AH version) sends at most one advert a second per master, so
 * the pair uses about one number a second: counting half-seconds since
 * 2020 outruns that, whatever the previous run sent, until 2088. (Whole
 * seconds did not: after a stop, the peer's adverts during our restart
 * could bring its counter level with the clock.)
 */
static uint32_t inst_ah_seed(void)
{
	struct timespec ts;
	const time_t epoch = 1577836800; /* 2020-01-01 */

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec < epoch)
		return 1;
	return (uint32_t)(2 * (ts.tv_sec - epoch) + ts.tv_nsec / 500000000);
}

struct vrrp_inst *vrrp_inst_new(struct vrrp_engine *eng, const struct vrrp_instance_cfg *cfg)
{
	struct vrrp_inst *vi = xcalloc(1, sizeof(*vi));

	vi->eng = eng;
	vi->state = VRRP_STATE_INIT;
	vi->ah_seq = inst_ah_seed();
	inst_take_cfg(vi, cfg);
	vi->prio = vi->base_prio;
	vrrp_inst_relink(vi);
	return vi;
}

static void inst_leave_sock(struct vrrp_inst *vi)
{
	if (!vi->sock)
		return;
	vrrp_sock_detach(vi->sock, (uint8_t)vi->cfg->vrid, vi);
	vrrp_sock_put(vi->sock);
	vi->sock = NULL;
}

void vrrp_inst_free(struct vrrp_inst *vi)
{
	if (!vi)
		return;
	inst_leave_sock(vi);
	ev_cancel(&vi->timer);
	ev_cancel(&vi->preempt_timer);
	vrrp_vip_announce_stop(vi);
	vrrp_vmac_free(vi);
	free(vi->vips);
	free(vi->peers);
	free(vi);
}

/* ---- link, source address, socket ---------------------------------------- */

static const struct ka_addr *inst_group(const struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;

	if (c->mcast_dst.family)
		return &c->mcast_dst;
	return c->family == AF_INET6 ? &vi->eng->g->vrrp_mcast_group6 :
				       &vi->eng->g->vrrp_mcast_group4;
}

static void set_host_addr(struct ka_addr *a, int family, const void *bytes)
{
	memset(a, 0, sizeof(*a));
	a->family = (sa_family_t)family;
	a->prefix = family == AF_INET6 ? 128 : 32;
	memcpy(&a->u, bytes, family == AF_INET6 ? 16 : 4);
}

/* Advert source: configured, else the interface's primary IPv4 or IPv6
 * link-local address. */
static bool inst_find_src(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	struct in6_addr a6;
	struct in_addr a4;

	if (c->src_ip.family) {
		vi->saddr = c->src_ip;
		return true;
	}
	if (!vi->ifindex)
		return false;
	/* track_src_ip: the address first picked stays the source; its
	 * absence is a fault (relink), not a reason to pick another */
	if (c->track_src_ip && vi->saddr.family == c->family)
		return true;
	/* keep the address we use while it is there: adding a VIP must not
	 * change the source of our adverts */
	if (vi->saddr.family == c->family && vrrp_nl_has_addr(vi->eng->nl, &vi->saddr, vi->ifindex))
		return true;
	if (c->family == AF_INET6 && vrrp_nl_ipv6_linklocal(vi->eng->nl, vi->ifindex, &a6) == 0) {
		set_host_addr(&vi->saddr, AF_INET6, &a6);
		return true;
	}
	if (c->family == AF_INET && vrrp_nl_primary_ipv4(vi->eng->nl, vi->ifindex, &a4) == 0) {
		set_host_addr(&vi->saddr, AF_INET, &a4);
		return true;
	}
	memset(&vi->saddr, 0, sizeof(vi->saddr));
	return false;
}

/* A link-local peer or source is only reachable through the interface. */
static bool inst_link_local(const struct vrrp_inst *vi)
{
	if (vi->saddr.family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&vi->saddr.u.v6))
		return true;
	for (size_t i = 0; i < vi->npeers; i++)
		if (vi->peers[i].addr.family == AF_INET6 &&
		    IN6_IS_ADDR_LINKLOCAL(&vi->peers[i].addr.u.v6))
			return true;
	return false;
}

/* Join the socket for (family, ifindex, unicast) if not already on it. */
static bool inst_join_sock(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	bool unicast = vi->npeers > 0;
	struct vrrp_sock *s = vi->sock;
	const char *ifname = vi->ifname;
	int idx = vi->ifindex;
	/* adverts leave from the VMAC, if there is one (not vmac_xmit_base) */
	bool vmac = vrrp_vmac_sock_if(vi, &idx, &ifname);

	/* In a VRF, unicast adverts are routed in the VRF's table (the peer
	 * may sit behind another of its links) and answers come in on any of
	 * its links: the socket binds to the VRF device. Multicast stays on
	 * the interface, which already receives in and sends from the VRF. */
	if (unicast && vi->vrf_ifindex && !inst_link_local(vi)) {
		idx = vi->vrf_ifindex;
		ifname = vi->vrf_name;
	}
	if (s && s->ifindex == idx && s->unicast == unicast)
		return true;
	inst_leave_sock(vi);
	/* kernel_rx_buf_size sizes the socket when this instance opens it */
	vi->eng->socks.rcvbuf = c->kernel_rx_buf_size;
	vi->eng->socks.freebind = vmac;
	s = vrrp_sock_get(&vi->eng->socks, (sa_family_t)c->family, idx, ifname,
			  unicast, inst_group(vi));
	if (!s)
		return false;
	if (vrrp_sock_attach(s, (uint8_t)c->vrid, vi) < 0) {
		log_warnx("(%s) VRID %d is already used on %s", c->name, c->vrid,
			  vi->ifname[0] ? vi->ifname : "this socket");
		vrrp_sock_put(s);
		return false;
	}
	if (!unicast)
		s->vrf = vi->vrf_ifindex;
	vi->sock = s;
	return true;
}

/* The VRF the instance lives in: its interface's, or for an instance
 * without one the `vrf` device, which must exist and be a VRF (else
 * FAULT, logged once per cause). Returns its ifindex, 0, or -1 (missing). */
static int inst_find_vrf(struct vrrp_inst *vi, int idx)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	uint32_t table;
	int vrf = 0, rc = 0;

	if (idx) {
		vrf = vrrp_nl_link_vrf(vi->eng->nl, idx);
	} else if (c->vrf) {
		rc = vrrp_nl_vrf_table(vi->eng->nl, c->vrf, &table);
		if (rc == 0)
			vrf = vrrp_nl_ifindex(vi->eng->nl, c->vrf);
		if (rc == 0 && vrf <= 0)
			rc = -ENODEV;
		if (rc < 0 && rc != vi->vrf_err)
			log_warnx("(%s) vrf %s %s: instance in FAULT", c->name, c->vrf,
				  rc == -ENODEV ? "does not exist (or the kernel has no VRF support)" :
						  "is not a VRF device");
		if (rc == 0 && vi->vrf_err)
			log_info("(%s) vrf %s is back", c->name, c->vrf);
	}
	vi->vrf_err = rc;
	if (vrf <= 0 || vrrp_nl_ifname(vi->eng->nl, vrf, vi->vrf_name, sizeof(vi->vrf_name)) < 0)
		vrf = 0;
	if (vrf != vi->vrf_ifindex)
		inst_leave_sock(vi);
	vi->vrf_ifindex = vrf;
	return rc < 0 ? -1 : vrf;
}

void vrrp_inst_relink(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	unsigned f = 0;
	int idx = 0;

	if (c->interface) {
		idx = vrrp_nl_ifindex(vi->eng->nl, c->interface);
		if (idx < 0)
			idx = 0;
		snprintf(vi->ifname, sizeof(vi->ifname), "%s", c->interface);
		if (!idx)
			f |= VRRP_FAULT_NO_IF;
	}
	if (idx != vi->ifindex)
		inst_leave_sock(vi);
	vi->ifindex = idx;
	if (inst_find_vrf(vi, idx) < 0)
		f |= VRRP_FAULT_NO_IF;
	f |= vrrp_vmac_relink(vi);
	if (!inst_find_src(vi))
		f |= VRRP_FAULT_NO_SRC;
	else if (c->track_src_ip && !vrrp_nl_has_addr(vi->eng->nl, &vi->saddr, vi->ifindex))
		f |= VRRP_FAULT_SRC_GONE;
	if (c->unicast_fault_no_peer && !vi->npeers)
		f |= VRRP_FAULT_NO_PEER;
	if (!(f & VRRP_FAULT_NO_IF) && !inst_join_sock(vi))
		f |= VRRP_FAULT_SOCKET;
	if ((f & ~vi->fault & LINK_FAULTS) && vi->state != VRRP_STATE_INIT)
		log_info("(%s) %s%s%s%s%s", c->name,
			 f & VRRP_FAULT_NO_IF ? "interface missing " : "",
			 f & VRRP_FAULT_NO_SRC ? "no source address " : "",
			 f & VRRP_FAULT_SRC_GONE ? "source address removed (track_src_ip) " : "",
			 f & VRRP_FAULT_SOCKET ? "no socket " : "",
			 f & VRRP_FAULT_NO_PEER ? "no unicast peer" : "");
	vi->fault = (vi->fault & ~LINK_FAULTS) | f;
	vrrp_inst_reevaluate(vi);
}

/* ---- priority and faults -------------------------------------------------- */

static enum vrrp_track_status track_iface(const struct vrrp_track_lookup *lk,
					  const struct vrrp_track_ref *ref)
{
	struct vrrp_engine *eng = lk->arg;
	int idx = vrrp_nl_ifindex(eng->nl, ref->name);

	return idx > 0 && vrrp_link_up(eng, idx) ? VRRP_TRACK_UP : VRRP_TRACK_DOWN;
}

/* Own fault bits (all but SYNC) and the effective priority. */
static void inst_compute(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	struct vrrp_track_lookup lk;
	struct vrrp_track_sum sum = { 0 };
	unsigned f = vi->fault & LINK_FAULTS;
	int prio;

	vrrp_track_lookup_init(&lk, vi->eng->trk);
	vrrp_tproc_lookup_init(&lk, vi->eng->tproc);
	vrrp_bfd_lookup_init(&lk, vi->eng->bfd);
	lk.arg = vi->eng;
	lk.iface = track_iface;
	if (vi->ifindex && !c->dont_track_primary && !vrrp_link_up(vi->eng, vi->ifindex))
		f |= VRRP_FAULT_IF_DOWN;
	if (vrrp_track_group_fault(vi->eng->tgroups, c))
		f |= VRRP_FAULT_TGROUP;
	vrrp_track_sum_add(&sum, &c->tracks, &lk);
	if (c->sync)
		vrrp_track_sum_add(&sum, &c->sync->tracks, &lk);
	if (sum.fault)
		f |= VRRP_FAULT_TRACKER;
	vi->fault = (vi->fault & VRRP_FAULT_SYNC) | f;
	prio = vrrp_track_effective(vi->base_prio, &sum);
	if (prio != vi->prio) {
		log_info("(%s) Changing effective priority from %d to %d", c->name, vi->prio, prio);
		vi->prio = (uint8_t)prio;
		if (vi->state == VRRP_STATE_MASTER || vi->state == VRRP_STATE_BACKUP)
			vrrp_notify_priority(vi->eng->notify, c, vi->state == VRRP_STATE_MASTER,
					     prio);
		/* Tell the others at once: a backup may now preempt us. */
		if (vi->state == VRRP_STATE_MASTER)
			vrrp_inst_send_advert(vi, vi->prio);
	}
}

/* Fire FAULT_DETECTED / FAULT_CLEARED when the effective fault changed. */
void vrrp_inst_apply_fault(struct vrrp_inst *vi)
{
	if (vi->state == VRRP_STATE_INIT || vi->state == VRRP_STATE_STOP)
		return;
	if (vi->fault && vi->state != VRRP_STATE_FAULT)
		vrrp_inst_event(vi, VRRP_EV_FAULT_DETECTED, NULL);
	else if (!vi->fault && vi->state == VRRP_STATE_FAULT)
		vrrp_inst_event(vi, VRRP_EV_FAULT_CLEARED, NULL);
}

void vrrp_inst_reevaluate(struct vrrp_inst *vi)
{
	inst_compute(vi);
	if (vi->sync)
		vrrp_sync_update_faults(vi->sync);
	else
		vrrp_inst_apply_fault(vi);
}

/* ---- adverts ----------------------------------------------------------------- */

static void inst_fill_params(const struct vrrp_inst *vi, struct vrrp_pkt_params *p,
			     uint8_t prio)
{
	const struct vrrp_instance_cfg *c = vi->cfg;

	memset(p, 0, sizeof(*p));
	p->version = (uint8_t)c->version;
	p->family = (sa_family_t)c->family;
	p->vrid = (uint8_t)c->vrid;
	p->priority = prio;
	p->interval_cs = (uint16_t)(vi->adver_int / CSEC_US);
	if (c->version == 2) {
		p->auth_type = (enum vrrp_pkt_auth)c->auth_type;
		vrrp_pkt_auth_data(p->auth_data, c->auth_pass);
	}
	p->addrs = vi->vips;
	p->naddr = vi->nvips;
	p->src = vi->saddr;
	p->v3_checksum_as_v2 = c->v3_checksum_as_v2;
	p->ah_hmac = vrrp_ah_hmac_md5;
}

static void inst_send_one(struct vrrp_inst *vi, struct vrrp_pkt_params *p,
			  const struct ka_addr *dst, int ttl)
{
	uint8_t buf[VRRP_IP4_PKT_MAX > VRRP_PKT_MAX ? VRRP_IP4_PKT_MAX : VRRP_PKT_MAX];
	const char *err = NULL;
	char d[KA_ADDR_STRLEN];
	int n, rc;

	p->dst = *dst;
	p->ttl = (uint8_t)ttl;
	/* an IP ID of 0 would be replaced by the kernel, after the AH ICV
	 * covering it was computed */
	if (++vi->ip_id == 0)
		vi->ip_id = 1;
	p->ip_id = vi->ip_id;
	if (p->auth_type == VRRP_PKT_AUTH_AH)
		p->ah_seq = ++vi->ah_seq;
	n = p->family == AF_INET ? vrrp_pkt_build_ip4(p, buf, sizeof(buf), &err) :
				   vrrp_pkt_build(p, buf, sizeof(buf), &err);
	if (n < 0) {
		log_rl_msg(&vi->rl, LOG_ERR, "(%s) cannot build advert: %s", vi->cfg->name, err);
		return;
	}
	rc = vrrp_sock_send(vi->sock, buf, (size_t)n, &vi->saddr, dst, ttl);
	if (rc < 0)
		log_rl_msg(&vi->rl, LOG_WARNING, "(%s) sending advert to %s: %s", vi->cfg->name,
			   ka_addr_str(dst, d), strerror(-rc));
}

void vrrp_inst_send_advert(struct vrrp_inst *vi, uint8_t prio)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	struct vrrp_pkt_params p;

	if (!vi->sock || !vi->saddr.family)
		return;
	inst_fill_params(vi, &p, prio);
	if (!vi->npeers) {
		inst_send_one(vi, &p, inst_group(vi), VRRP_TTL);
	} else {
		int ttl = c->unicast_ttl >= 0 ? c->unicast_ttl : VRRP_TTL;

		for (size_t i = 0; i < vi->npeers; i++)
			inst_send_one(vi, &p, &vi->peers[i].addr, ttl);
	}
	vi->stats.advert_sent++;
	if (!prio)
		vi->stats.pri_zero_sent++;
}

/* ---- receiving ---------------------------------------------------------------- */

static void inst_count_drop(struct vrrp_inst *vi, const struct vrrp_advert *adv,
			    enum vrrp_drop r)
{
	struct vrrp_inst_stats *s = &vi->stats;

	s->drops[r]++;
	switch (r) {
	case VRRP_DROP_SHORT:
	case VRRP_DROP_ADDR_COUNT:
	case VRRP_DROP_LENGTH:
		s->packet_len_err++;
		break;
	case VRRP_DROP_TTL:
		s->ip_ttl_err++;
		break;
	case VRRP_DROP_TYPE:
		s->invalid_type_rcvd++;
		break;
	case VRRP_DROP_INTERVAL:
		s->advert_interval_err++;
		break;
	case VRRP_DROP_ADDR_LIST:
		s->addr_list_err++;
		break;
	case VRRP_DROP_AUTH_TYPE:
		if (adv->auth_type > VRRP_PKT_AUTH_AH)
			s->invalid_authtype++;
		else
			s->authtype_mismatch++;
		break;
	case VRRP_DROP_AUTH:
		s->auth_failure++;
		break;
	default:
		break;
	}
}

static void inst_fill_expect(const struct vrrp_inst *vi, const struct vrrp_advert *adv,
			     struct vrrp_pkt_expect *e)
{
	const struct vrrp_instance_cfg *c = vi->cfg;

	memset(e, 0, sizeof(*e));
	e->vrid = (uint8_t)c->vrid;
	e->version = (uint8_t)c->version;
	e->auth_type = c->version == 2 ? (enum vrrp_pkt_auth)c->auth_type : VRRP_PKT_AUTH_NONE;
	vrrp_pkt_auth_data(e->auth_data, c->auth_pass);
	e->interval_cs = (uint16_t)(vi->adver_int / CSEC_US);
	e->vips = vi->vips;
	e->nvips = vi->nvips;
	e->skip_addr_check = c->skip_check_adv_addr && vi->master_addr.family &&
			     ka_addr_equal(&adv->src, &vi->master_addr);
	e->unicast = vi->npeers > 0;
	e->check_unicast_src = c->check_unicast_src;
	e->peers = vi->peers;
	e->npeers = vi->npeers;
	if (c->v3_checksum_as_v2)
		e->csum_accept |= VRRP_CSUM_ACCEPT_V3_AS_V2;
	if (c->old_unicast_checksum != VRRP_UCSUM_OFF)
		e->csum_accept |= VRRP_CSUM_ACCEPT_OLD_UNICAST;
	e->ah_hmac = vrrp_ah_hmac_md5;
}

void vrrp_inst_rx(struct vrrp_inst *vi, struct vrrp_advert *adv, enum vrrp_drop r)
{
	struct vrrp_pkt_expect e;
	char src[KA_ADDR_STRLEN];

	/* our own adverts, looped back by a unicast peer list naming us */
	if (vi->saddr.family && ka_addr_equal(&adv->src, &vi->saddr))
		return;
	if (r == VRRP_OK) {
		inst_fill_expect(vi, adv, &e);
		r = vrrp_pkt_check_instance(adv, &e);
	}
	if (r != VRRP_OK) {
		inst_count_drop(vi, adv, r);
		vrrp_snmp_rx_error(vi->eng->snmp, vi, adv, r);
		log_rl_msg(&vi->rl, LOG_INFO, "(%s) advert from %s dropped: %s", vi->cfg->name,
			   ka_addr_str(&adv->src, src), vrrp_drop_str(r));
		return;
	}
	vi->stats.advert_rcvd++;
	if (!adv->priority)
		vi->stats.pri_zero_rcvd++;
	/* after a stall the queued adverts are read before the overdue timer */
	if (vi->state == VRRP_STATE_MASTER)
		inst_late(vi);
	vrrp_inst_event(vi, vrrp_fsm_rx_event(adv->priority, vi->prio,
					      vrrp_fsm_addr_cmp(&adv->src, &vi->saddr)), adv);
}

/* ---- timers --------------------------------------------------------------------- */

static void start_timer(struct vrrp_inst *vi, uint64_t usec)
{
	vi->timer_armed = mono_usec();
	vi->late_rearmed = false;
	ev_timer_add(vi->eng->loop, main_timer_cb, vi, usec, &vi->timer);
}

/* timer_expired_backup with nopreempt: the timer fired so late that a
 * router of the configured priority may already be master. */
static bool timer_too_late(const struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	unsigned ver = (unsigned)c->version, n = (unsigned)c->down_timer_adverts;

	/* a backup waits once: if nothing was heard meanwhile, nobody took over
	 * (and scheduling jitter cannot keep it from ever becoming master) */
	if (!c->timer_expired_backup || !c->nopreempt ||
	    (vi->state != VRRP_STATE_MASTER && vi->late_rearmed))
		return false;
	return vrrp_timer_late(vi->state == VRRP_STATE_MASTER, mono_usec(), vi->timer_armed,
			       vrrp_master_down_us(ver, vi->prio, vi->master_adver_int, n),
			       vrrp_master_down_us(ver, (uint8_t)c->timer_expired_backup,
						   vi->master_adver_int, n));
}

/* Act on timer_too_late(): a master goes back to BACKUP, a backup waits a
 * new master-down interval (so the adverts queued meanwhile are read
 * first). Returns true if it was late. */
static bool inst_late(struct vrrp_inst *vi)
{
	if (!vi->timer_armed || !timer_too_late(vi))
		return false;
	log_info("(%s) %llu ms since its timer was set: another router may be master, %s",
		 vi->cfg->name, (unsigned long long)((mono_usec() - vi->timer_armed) / 1000),
		 vi->state == VRRP_STATE_MASTER ? "reverting to BACKUP" : "staying BACKUP");
	if (vi->state == VRRP_STATE_MASTER) {
		vrrp_inst_event(vi, VRRP_EV_FORCE_BACKUP, NULL);
		return true;
	}
	start_timer(vi, vrrp_master_down_us((unsigned)vi->cfg->version, vi->prio,
					    vi->master_adver_int,
					    (unsigned)vi->cfg->down_timer_adverts));
	vi->late_rearmed = true;
	return true;
}

static void main_timer_cb(struct ev_loop *loop, void *arg)
{
	struct vrrp_inst *vi = arg;

	if (inst_late(vi))
		return;
	if (vi->state == VRRP_STATE_MASTER) {
		vrrp_inst_event(vi, VRRP_EV_ADV_TIMER, NULL);
		return;
	}
	/* A sync group moves together: wait until every member is ready. */
	if (vi->sync && !vrrp_sync_may_become_master(vi->sync, vi)) {
		vi->want_master = true;
		start_timer(vi, vrrp_master_down_us((unsigned)vi->cfg->version, vi->prio,
						    vi->master_adver_int,
						    (unsigned)vi->cfg->down_timer_adverts));
		return;
	}
	vrrp_inst_event(vi, VRRP_EV_MASTER_DOWN_TIMER, NULL);
}

static void preempt_cb(struct ev_loop *loop, void *arg)
{
	struct vrrp_inst *vi = arg;

	vi->pd = VRRP_PD_EXPIRED;
	log_info("(%s) preempt delay expired", vi->cfg->name);
}

/* ---- the state machine ------------------------------------------------------------ */

static void act_adopt(struct vrrp_inst *vi, const struct vrrp_advert *adv)
{
	vi->want_master = false;
	if (!adv)
		return;
	vi->master_addr = adv->src;
	vi->master_prio = adv->priority;
	/* RFC 5798 6.4.2: a v3 backup learns the master's interval */
	if (adv->version == 3 && adv->interval_cs)
		vi->master_adver_int = (uint64_t)adv->interval_cs * CSEC_US;
}

static void act_garp(struct vrrp_inst *vi, bool lower)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	uint64_t now = ev_now(vi->eng->loop);

	if (!lower) {
		bool min = vi->eng->g->vrrp_min_garp;

		vrrp_vip_announce(vi, min ? 1 : c->garp_master_repeat,
				  min ? 0 : c->garp_master_delay);
		vrrp_vip_refresh_start(vi);
		return;
	}
	if (!c->garp_lower_prio_repeat ||
	    (vi->last_lower_garp && now - vi->last_lower_garp < c->garp_lower_prio_delay))
		return;
	vi->last_lower_garp = now;
	vrrp_vip_announce(vi, c->garp_lower_prio_repeat, 0);
}

static void act_timers(struct vrrp_inst *vi, unsigned a)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	unsigned ver = (unsigned)c->version;

	if (a & VRRP_ACT_STOP_TIMER)
		ev_cancel(&vi->timer);
	if (a & VRRP_ACT_START_MASTER_DOWN_TIMER)
		start_timer(vi, vrrp_master_down_us(ver, vi->prio, vi->master_adver_int,
						    (unsigned)c->down_timer_adverts));
	if (a & VRRP_ACT_START_SKEW_TIMER)
		start_timer(vi, vrrp_skew_us(ver, vi->prio, vi->master_adver_int));
	if (a & VRRP_ACT_START_ADVER_TIMER)
		start_timer(vi, vi->adver_int);
	if (a & VRRP_ACT_START_PREEMPT_DELAY) {
		vi->pd = VRRP_PD_RUNNING;
		ev_timer_add(vi->eng->loop, preempt_cb, vi, c->preempt_delay, &vi->preempt_timer);
	}
	if (a & VRRP_ACT_STOP_PREEMPT_DELAY) {
		ev_cancel(&vi->preempt_timer);
		vi->pd = c->preempt_delay ? VRRP_PD_IDLE : VRRP_PD_NONE;
	}
}

static void inst_log_change(struct vrrp_inst *vi, enum vrrp_state from,
			    const struct vrrp_fsm_transition *t)
{
	const char *name = vi->cfg->name;

	vi->stats.transitions++;
	if (t->next == VRRP_STATE_MASTER)
		vi->stats.become_master++;
	if (from == VRRP_STATE_MASTER)
		vi->stats.release_master++;
	log_info("(%s) %s -> %s (%s)", name, vrrp_state_str(from), vrrp_state_str(t->next),
		 t->why);
	log_info("(%s) Entering %s STATE", name, vrrp_state_str(t->next));
}

/* Scripts, FIFOs and mail for the state just entered. An instance removed
 * by a reload reports DELETED with notify_deleted, else FAULT (keepalived). */
static void inst_notify(struct vrrp_inst *vi)
{
	static const enum vrrp_notify_state map[VRRP_STATE_MAX] = {
		[VRRP_STATE_BACKUP] = VRRP_NOTIFY_BACKUP,
		[VRRP_STATE_MASTER] = VRRP_NOTIFY_MASTER,
		[VRRP_STATE_FAULT] = VRRP_NOTIFY_FAULT,
		[VRRP_STATE_STOP] = VRRP_NOTIFY_STOP,
	};
	enum vrrp_notify_state st = map[vi->state];

	if (vi->state == VRRP_STATE_INIT)
		return;
	if (vi->deleted)
		st = vi->cfg->notify_deleted ? VRRP_NOTIFY_DELETED : VRRP_NOTIFY_FAULT;
	vrrp_notify_instance(vi->eng->notify, vi->cfg, st, vi->prio);
}

void vrrp_inst_event(struct vrrp_inst *vi, enum vrrp_event ev, const struct vrrp_advert *adv)
{
	const struct vrrp_instance_cfg *c = vi->cfg;
	struct vrrp_fsm_input in = {
		.priority = vi->prio,
		.adv_priority = adv ? adv->priority : 0,
		.preempt = !c->nopreempt,
		.preempt_delay = vi->pd,
		.fault = vi->fault != 0,
		.owner_ignore_adverts = c->owner_ignore_adverts || c->strict_mode,
		.higher_prio_send_advert = c->higher_prio_send_advert,
		.lower_prio_no_advert = c->lower_prio_no_advert,
	};
	const struct vrrp_fsm_transition *t = vrrp_fsm_next(vi->state, ev, &in);
	enum vrrp_state from = vi->state;
	unsigned a;

	if (!t)
		return;
	a = t->actions;
	vi->state = t->next;
	/* Taking over: the advert, the addresses and the first GARP go out
	 * before any log line is written (they are kept until then). */
	if (a & VRRP_ACT_SEND_GARP)
		log_hold();
	if (from != t->next)
		inst_log_change(vi, from, t);
	if (a & VRRP_ACT_LOWER_OWNER_PRIO) {
		log_info("(%s) another address owner: lowering priority to 254", c->name);
		vi->base_prio = 254;
		inst_compute(vi);
	}
	if (a & VRRP_ACT_ADOPT_MASTER)
		act_adopt(vi, adv);
	if (a & VRRP_ACT_RESET_ADVER_INT)
		vi->master_adver_int = vi->adver_int;
	if (a & VRRP_ACT_SEND_ADVERT)
		vrrp_inst_send_advert(vi, vi->prio);
	if (a & VRRP_ACT_SEND_PRIO0)
		vrrp_inst_send_advert(vi, 0);
	if (a & VRRP_ACT_DEL_VIPS) {
		vrrp_vip_announce_stop(vi);
		if (!(vi->eng->stopping && vi->eng->keep_addrs))
			vrrp_vip_apply(vi, false);
	}
	if (a & VRRP_ACT_ADD_VIPS)
		vrrp_vip_apply(vi, true);
	if (a & (VRRP_ACT_SEND_GARP | VRRP_ACT_GARP_LOWER_PRIO))
		act_garp(vi, !(a & VRRP_ACT_SEND_GARP));
	if (a & VRRP_ACT_SEND_GARP)
		log_release();
	act_timers(vi, a);
	if ((a & VRRP_ACT_NOTIFY) && from != t->next)
		inst_notify(vi);
	if (from != t->next) {
		vrrp_snmp_inst_changed(vi->eng->snmp, vi, from, ev);
		vrrp_lvs_sync_inst_changed(vi->eng->lvs_sync, vi);
	}
	if ((a & VRRP_ACT_NOTIFY_RX_LOWER) && adv)
		vrrp_notify_rx_lower_pri(vi->eng->notify, c, adv->priority);
	if (vi->sync && from != t->next)
		vrrp_sync_member_changed(vi->sync, vi, from);
}

/* ---- life cycle --------------------------------------------------------------------- */

void vrrp_inst_start(struct vrrp_inst *vi)
{
	const struct vrrp_instance_cfg *c = vi->cfg;

	inst_compute(vi);
	if (vi->sync)
		vrrp_sync_update_faults(vi->sync);
	vrrp_inst_event(vi, vrrp_fsm_startup_event(c->state == VRRP_WISH_MASTER, vi->prio),
			NULL);
}

void vrrp_inst_migrate(struct vrrp_inst *vi, const struct vrrp_instance_cfg *new_cfg)
{
	const struct vrrp_instance_cfg *old = vi->cfg;
	bool owner_lowered = vi->base_prio == 254 && old->priority == 255;

	inst_take_cfg(vi, new_cfg);
	if (owner_lowered && new_cfg->priority == 255)
		vi->base_prio = 254;
	if (vi->state == VRRP_STATE_MASTER)
		vrrp_vip_diff(vi, old, new_cfg);
	vrrp_inst_relink(vi);
}

int vrrp_vip_ifindex(const struct vrrp_inst *vi, const char *dev)
{
	int idx;

	if (!dev) {
		idx = vrrp_vmac_vip_ifindex(vi);
		if (idx >= 0)
			return idx;
		return vi->ifindex ? vi->ifindex : vi->eng->default_ifindex;
	}
	idx = vrrp_nl_ifindex(vi->eng->nl, dev);
	return idx > 0 ? idx : 0;
}

static bool list_owns(const struct vrrp_inst *vi, const struct cfg_list *l,
		      const struct ka_addr *addr, int ifindex)
{
	cfg_list_for_each(const struct vrrp_ipaddr, ip, l)
		if (!ip->no_track && ka_addr_equal(&ip->addr, addr) &&
		    vrrp_vmac_ip_ifindex(vi, ip) == ifindex)
			return true;
	return false;
}

bool vrrp_inst_owns_addr(const struct vrrp_inst *vi, const struct ka_addr *addr, int ifindex)
{
	return list_owns(vi, &vi->cfg->vips, addr, ifindex) ||
	       list_owns(vi, &vi->cfg->evips, addr, ifindex);
}

bool vrrp_inst_has_peer(const struct vrrp_inst *vi, const struct ka_addr *addr)
{
	for (size_t i = 0; i < vi->npeers; i++)
		if (ka_addr_equal(&vi->peers[i].addr, addr))
			return true;
	return false;
}
