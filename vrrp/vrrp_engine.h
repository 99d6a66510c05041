/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vrrp_engine.h - the VRRP engine of one process: instances, sockets, netlink, trackers */
#ifndef KA_VRRP_ENGINE_H
#define KA_VRRP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vrrp/vrrp_arp.h"
#include "vrrp/vrrp_sock.h"

struct ev_loop;
struct ev_timer;
struct ka_config;
struct ka_options;
struct global_cfg;
struct vrrp_cfg;
struct vrrp_inst;
struct vrrp_sync;
struct vrrp_snmp;
struct vrrp_lvs_sync;
struct vrrp_nl;
struct vrrp_nft;
struct vrrp_trackers;
struct vrrp_tproc;
struct vrrp_bfd;
struct vrrp_notify;
struct smtp_alert;
struct vrrp_vmacs;
struct vrrp_promote;
struct vrrp_linkbeat;
struct vrrp_ifdelay;
struct vrrp_garp_groups;
struct vrrp_tgroups;

/* GARP/NA sockets of one interface, opened on first use. */
struct vrrp_engine_ann {
	struct vrrp_announcer an;
	unsigned families;            /* VRRP_ANNOUNCE_* opened */
};

/*
 * Everything the VRRP child runs, in one place (no globals): it lives in
 * child_ctx.priv and every callback gets it (or an instance pointing to it).
 */
struct vrrp_engine {
	struct ev_loop *loop;
	const struct ka_config *config;   /* current configuration */
	const struct vrrp_cfg *v;
	const struct global_cfg *g;
	const struct ka_options *opts;
	struct vrrp_nl *nl;
	struct vrrp_nft *nft;             /* no_accept drop table (vrrp_nft.h) */
	struct vrrp_socks socks;
	struct vrrp_trackers *trk;
	struct vrrp_tproc *tproc;         /* vrrp_track_process (vrrp_track_proc.h) */
	struct vrrp_bfd *bfd;             /* track_bfd session states (vrrp_bfd.h) */
	struct vrrp_notify *notify;
	struct smtp_alert *mail;          /* alert mails (vrrp_mail.h) */
	struct vrrp_snmp *snmp;           /* SNMP sub-agent (vrrp_snmp.h), NULL when off */
	struct vrrp_lvs_sync *lvs_sync;   /* IPVS sync daemons (vrrp_lvs_sync.h), or NULL */
	struct vrrp_inst **inst;
	size_t ninst;
	struct vrrp_sync **groups;
	size_t ngroups;
	struct vrrp_engine_ann *ann;
	size_t nann;
	int default_ifindex;              /* default_interface, 0 if absent */
	struct ev_timer *start_timer;     /* vrrp_startup_delay */
	bool stopping;                    /* SHUTDOWN in progress: keep_addrs applies */
	bool keep_addrs;                  /* -V: leave addresses in place at exit */
	struct vrrp_vmacs *vmacs;         /* sysctls held for VMACs (vrrp_vmac.c), or NULL */
	/* link view and extras, each in its own file (NULL when not configured) */
	struct vrrp_promote *promote;     /* promote_secondaries (vrrp_promote.c) */
	struct vrrp_linkbeat *linkbeat;   /* polled link states (vrrp_linkbeat.c) */
	struct vrrp_ifdelay *ifdelay;     /* interface_up_down_delays (vrrp_ifdelay.c) */
	struct vrrp_garp_groups *garp_groups; /* garp_group rate limits (vrrp_garp_group.c) */
	struct vrrp_tgroups *tgroups;     /* track_group statics (vrrp_track_group.c) */
};

/* Build and start everything for config; bfd_fd is the BFD event channel
 * (daemon/bfd_event.h, stays the caller's), -1 if none. Returns the
 * engine, or NULL (logged) when netlink cannot be opened. */
struct vrrp_engine *vrrp_engine_start(struct ev_loop *loop, const struct ka_config *config,
				      const struct ka_options *opts, int bfd_fd);

/* Switch to a new configuration (old is still valid during the call):
 * matched instances keep their state, new ones start, removed ones are
 * released. Returns 0. */
int vrrp_engine_reload(struct vrrp_engine *eng, const struct ka_config *config);

/* Orderly stop: priority-0 adverts, addresses removed (unless -V),
 * notify_stop waited for up to 1 s, static objects removed; frees eng. */
void vrrp_engine_stop(struct vrrp_engine *eng);

/* The GARP/NA sender for ifindex (opened for the families asked), or NULL. */
struct vrrp_announcer *vrrp_engine_announcer(struct vrrp_engine *eng, int ifindex,
					     unsigned families);

/* Runtime dumps (SIGUSR1, SIGUSR2, JSON). */
void vrrp_engine_dump(const struct vrrp_engine *eng, FILE *out);
void vrrp_engine_stats(struct vrrp_engine *eng, FILE *out, bool clear);
void vrrp_engine_json(const struct vrrp_engine *eng, FILE *out);

#endif
