/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_inst.h - runtime of one VRRP instance: state machine actions, adverts, timers */
#ifndef KA_VRRP_INST_H
#define KA_VRRP_INST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "log.h"
#include "vrrp/vrrp_arp.h"
#include "vrrp/vrrp_fsm.h"
#include "vrrp/vrrp_packet.h"

struct ev_timer;
struct vrrp_engine;
struct vrrp_instance_cfg;
struct vrrp_ipaddr;
struct vrrp_nl;
struct cfg_list;
struct vrrp_sock;
struct vrrp_sync;
struct script_job;
struct vrrp_vmac;

/* Counters of one instance; the first group is what SIGUSR2 prints. */
struct vrrp_inst_stats {
	uint64_t advert_rcvd, advert_sent;
	uint64_t become_master, release_master;
	uint64_t packet_len_err, ip_ttl_err, invalid_type_rcvd, advert_interval_err;
	uint64_t addr_list_err;
	uint64_t invalid_authtype, authtype_mismatch, auth_failure;
	uint64_t pri_zero_rcvd, pri_zero_sent;
	uint64_t drops[VRRP_DROP_MAX]; /* every drop by reason */
	uint64_t transitions;
};

/* Why an instance is in FAULT (bits of vrrp_inst.fault). */
enum {
	VRRP_FAULT_NO_IF     = 1u << 0, /* its interface does not exist */
	VRRP_FAULT_IF_DOWN   = 1u << 1, /* its interface is down (unless dont_track_primary) */
	VRRP_FAULT_TRACK_IF  = 1u << 2, /* an unweighted track_interface is down */
	VRRP_FAULT_TRACKER   = 1u << 3, /* an unweighted script/file failed */
	VRRP_FAULT_NO_SRC    = 1u << 4, /* no address to send adverts from */
	VRRP_FAULT_SOCKET    = 1u << 5, /* socket could not be opened, or VRID taken */
	VRRP_FAULT_SYNC      = 1u << 6, /* another member of its sync group is in FAULT */
	VRRP_FAULT_NO_PEER   = 1u << 7, /* unicast_fault_no_peer without peers */
	VRRP_FAULT_SRC_GONE  = 1u << 8, /* track_src_ip: the advert source left the interface */
	VRRP_FAULT_TGROUP    = 1u << 9, /* a static object of one of its track_groups is gone */
};

/* Announcements (GARP / NA) of a master: a burst schedule in progress. */
struct vrrp_garp_run {
	struct vrrp_garp_sched sched;
	unsigned sent;
	uint64_t start;                /* ev_now() when the run began */
	struct ev_timer *timer;
};

struct vrrp_inst {
	struct vrrp_engine *eng;
	const struct vrrp_instance_cfg *cfg;
	enum vrrp_state state;         /* written by vrrp_inst_event() only */
	struct vrrp_sync *sync;        /* NULL unless in a vrrp_sync_group */
	bool deleted;                  /* removed by a reload (DELETED notify) */

	int ifindex;                   /* 0 when unknown / none */
	char ifname[16];
	int vrf_ifindex;               /* VRF of the interface (or `vrf`), 0 if none */
	char vrf_name[16];
	int vrf_err;                   /* last failure to find the `vrf`, to log it once */
	struct vrrp_sock *sock;
	struct vrrp_inst *vrid_next;   /* next unicast instance with our VRID on sock */
	struct ka_addr saddr;          /* advert source */

	uint8_t base_prio;             /* configured; 254 after an owner conflict */
	uint8_t prio;                  /* effective (trackers applied) */
	unsigned fault;                /* VRRP_FAULT_* */
	uint64_t adver_int;            /* ours, µs */
	uint64_t master_adver_int;     /* the master's (v3 learns it), µs */
	struct ka_addr master_addr;    /* AF_UNSPEC until an advert was accepted */
	uint8_t master_prio;
	enum vrrp_preempt_delay pd;
	bool want_master;              /* sync group: our master-down timer ran out */
	bool vips_set;                 /* VIPs/routes/rules installed by us */
	uint64_t last_lower_garp;      /* µs, last garp_lower_prio burst */

	/* what our adverts carry and what we expect back */
	struct ka_addr *vips;
	size_t nvips;
	struct vrrp_pkt_peer *peers;
	size_t npeers;
	uint16_t ip_id;
	uint32_t ah_seq;

	struct ev_timer *timer;        /* master-down (BACKUP) or advert (MASTER) */
	uint64_t timer_armed;          /* mono_usec() when timer was started */
	bool late_rearmed;             /* timer_expired_backup re-armed it once already */
	struct ev_timer *preempt_timer;
	struct ev_timer *refresh_timer;
	struct vrrp_garp_run garp;
	struct script_job *stop_job;   /* notify_stop, waited for at exit */
	struct vrrp_vmac *vmac;        /* use_vmac / use_ipvlan / garp_extra_if (vrrp_vmac.c) */

	struct vrrp_inst_stats stats;
	struct log_rl rl;
};

/*
 * Create the runtime for cfg (state INIT, nothing sent yet). Resolves the
 * interface, source address and socket; a failure there is a FAULT reason,
 * not an error. Never NULL.
 */
struct vrrp_inst *vrrp_inst_new(struct vrrp_engine *eng, const struct vrrp_instance_cfg *cfg);

/* Leave the socket, cancel timers, free. Does not touch addresses. */
void vrrp_inst_free(struct vrrp_inst *vi);

/*
 * THE writer of vi->state: look the transition up with vrrp_fsm_next()
 * and perform its actions in order (adverts, addresses, GARPs, timers,
 * notifications). adv is the received advert for RECV_* events, else NULL.
 */
void vrrp_inst_event(struct vrrp_inst *vi, enum vrrp_event ev, const struct vrrp_advert *adv);

/* Start the instance: remove leftovers of an earlier run and enter
 * BACKUP (or MASTER at once as address owner, or FAULT). */
void vrrp_inst_start(struct vrrp_inst *vi);

/* An advert for this instance's VRID from its socket: r is the first-stage
 * verdict of vrrp_pkt_parse(). */
void vrrp_inst_rx(struct vrrp_inst *vi, struct vrrp_advert *adv, enum vrrp_drop r);

/*
 * Recompute FAULT reasons and effective priority from the interfaces and
 * trackers, and fire FAULT_DETECTED / FAULT_CLEARED when that changes.
 * Called whenever a link, address or tracker changes.
 */
void vrrp_inst_reevaluate(struct vrrp_inst *vi);

/* Enter or leave FAULT if vi->fault (own and sync group bits) says so. */
void vrrp_inst_apply_fault(struct vrrp_inst *vi);

/* Re-resolve interface, source address and socket (a link or address came
 * or went); then vrrp_inst_reevaluate(). */
void vrrp_inst_relink(struct vrrp_inst *vi);

/*
 * Reload: point vi at its new configuration new_cfg (the old one is still
 * valid during the call). A MASTER keeps its addresses: only the VIPs,
 * eVIPs, routes and rules that differ are removed or added.
 */
void vrrp_inst_migrate(struct vrrp_inst *vi, const struct vrrp_instance_cfg *new_cfg);

/* Is addr (on ifindex) one of the tracked VIPs/eVIPs we installed? Used to
 * react to an external deletion. */
bool vrrp_inst_owns_addr(const struct vrrp_inst *vi, const struct ka_addr *addr, int ifindex);

/* Is addr one of the instance's unicast peers? */
bool vrrp_inst_has_peer(const struct vrrp_inst *vi, const struct ka_addr *addr);

/* Send the adverts of one interval (to the group or each peer) with
 * priority prio. */
void vrrp_inst_send_advert(struct vrrp_inst *vi, uint8_t prio);

/* ---- vrrp_vip.c: addresses, routes, rules and their announcement ---------- */

/* Install (add) or remove everything the instance moves. Logged. */
void vrrp_vip_apply(struct vrrp_inst *vi, bool add);

/* Addresses (two lists: VIPs and eVIPs, or static ones), routes and rules;
 * NULL lists are empty. */
struct vrrp_vip_set {
	const struct cfg_list *addrs[2];
	const struct cfg_list *routes, *rules;
};

/* Remove from the kernel what old has and nw lacks, then add the reverse
 * (equal lines are left alone, so nothing flaps). who prefixes error logs.
 * Returns the number of objects touched, *added (may be NULL) those added. */
unsigned vrrp_vip_sync(struct vrrp_nl *nl, int def_ifindex, const char *who,
		       const struct vrrp_vip_set *old, const struct vrrp_vip_set *nw,
		       unsigned *added);

/* Reload of a MASTER: remove what old has and new lacks, add the reverse. */
void vrrp_vip_diff(struct vrrp_inst *vi, const struct vrrp_instance_cfg *old,
		   const struct vrrp_instance_cfg *new_cfg);

/* Start a GARP/NA run: repeat rounds over all addresses, a second burst
 * after delay; the packets due now leave before this returns. */
void vrrp_vip_announce(struct vrrp_inst *vi, unsigned repeat, uint64_t delay);

/* Stop any announcement in progress and the periodic refresh. */
void vrrp_vip_announce_stop(struct vrrp_inst *vi);

/* (Re)arm garp_master_refresh while MASTER. */
void vrrp_vip_refresh_start(struct vrrp_inst *vi);

/* Interface index of an address line: its dev, else the instance's. */
int vrrp_vip_ifindex(const struct vrrp_inst *vi, const char *dev);

/* Send one gratuitous ARP (IPv4) or unsolicited NA (IPv6) for ip on
 * ifindex; a failure is logged, limited by rl. */
void vrrp_vip_announce_on(struct vrrp_inst *vi, const struct vrrp_ipaddr *ip, int ifindex,
			  struct log_rl *rl);

#endif
