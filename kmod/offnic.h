/* SPDX-License-Identifier: GPL-2.0 */
/*
 * offnic: driver for the offnic reference SmartNIC.  This header is the
 * map of the driver: one struct per object, one file per concern.
 *
 *   main.c     module init/exit, PCI probe/remove, device validation
 *   ctrl.c     control queue to the device
 *   rings.c    TX/RX descriptor rings and NAPI
 *   netdev.c   net_device_ops
 *   ethtool.c  ethtool_ops and statistics
 *   debugfs.c  debugfs inspection
 *   health.c   device liveness (heartbeat) watchdog, reset and recovery
 *   kfunc.c    BPF kfuncs
 *   offload.c  BPF offload: verifier hooks, translation through offload-jit
 *   xdp.c      ndo_bpf: XDP in driver and HW mode, device program slots
 *   maps.c     offloaded maps, kept in device memory
 *   tc.c       tc cls_bpf skip_sw offload
 *   events.c   perf_event_output records from the device
 *   jit_port.c the kernel side of offload-jit's porting layer
 */
#ifndef _OFFNIC_H
#define _OFFNIC_H

#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/xdp.h>

#include "offnic_abi.h"
#include "offnic_image.h"
#include "ojit.h"
#include "offnic_kfuncs.h"

#define OFFNIC_DRV_NAME		"offnic"

/* Control requests are answered by a simulator on the host; under TCG a
 * busy host can take a while, so be generous before declaring it dead.
 */
#define OFFNIC_CTRL_TIMEOUT_MS	5000
#define OFFNIC_HEALTH_PERIOD_MS	1000
#define OFFNIC_HEALTH_MAX_MISSES 5
/* A slow answer fails its request; only this many in a row fail the device. */
#define OFFNIC_CTRL_MAX_TIMEOUTS 3
/* After a failed recovery, wait up to this many health periods to retry. */
#define OFFNIC_RECOVER_MAX_BACKOFF 32

struct offnic_sw_stats {
	u64 rx_packets;
	u64 rx_bytes;
	u64 tx_packets;
	u64 tx_bytes;
	u64 tx_busy;
	u64 rx_alloc_fail;
	struct u64_stats_sync syncp;
};

/*
 * What the device did wrong and the driver refused, one counter per kind
 * (ethtool -S, debugfs "errors").  None of them stops the port: a bad
 * descriptor is dropped, a bad answer fails its request, a bad ring index
 * resets the device.
 */
struct offnic_err_stats {
	atomic64_t rx_bad_len;			/* len or off outside the buffer */
	atomic64_t rx_bad_meta;			/* meta_len over off or 255 */
	atomic64_t rx_bad_flags;		/* flag bits the ABI lacks */
	atomic64_t ring_bad_index;		/* a device index past the driver's */
	atomic64_t ctrl_bad_reply;		/* malformed control answers */
	atomic64_t ctrl_timeouts;		/* control requests not answered */
	atomic64_t dev_deaths;			/* device declared dead */
	atomic64_t dev_resets;			/* resets and handshakes that worked */
	atomic64_t dev_reset_fail;		/* recoveries that did not */
};

/* A program bound to an offnic device: aux->offload->dev_priv */
struct offnic_prog {
	struct offnic *nic;
	u32 prog_type;				/* OFFNIC_PROG_* */
	u32 n_insns;
	struct ojit_bpf_insn *insns;		/* snapshot, original numbering */
	struct ojit_insn_facts *facts;
	u32 n_maps;
	struct bpf_map *maps[OFFNIC_MAX_MAPS];
	struct ojit_map_desc map_descs[OFFNIC_MAX_MAPS];
	void *image;				/* offnic_image.h */
	unsigned long image_len;
	struct ojit_stats stats;
};

/* An offloaded map: offmap->dev_priv */
struct offnic_map {
	struct offnic *nic;
	struct bpf_offloaded_map *offmap;
	struct list_head node;			/* in nic->maps, under rtnl */
	u32 slot;				/* the device's map slot */
};

/* debugfs knobs that force error paths, as netdevsim's do */
struct offnic_knobs {
	bool reject_verify;			/* insn_hook refuses every program */
	bool reject_map_alloc;
	bool reject_xdp_hw;
	bool reject_tc;
};

/* Interrupt moderation: defaults and the largest rx-usecs accepted */
#define OFFNIC_IRQ_USECS_DEFAULT	50
#define OFFNIC_IRQ_FRAMES_DEFAULT	32
#define OFFNIC_IRQ_USECS_MAX		10000

struct offnic {
	struct pci_dev *pdev;
	struct net_device *netdev;
	void __iomem *regs;			/* BAR0: ivshmem registers */
	void *shm;				/* BAR2: shared memory */
	resource_size_t shm_len;
	struct offnic_hdr *hdr;
	struct offnic_ctrl *ctrl;
	struct offnic_ring *txr;
	struct offnic_ring *rxr;
	u8 *txbuf;
	u8 *rxbuf;

	/* control queue */
	struct mutex ctrl_lock;			/* one request in flight */
	struct completion ctrl_done;
	u32 ctrl_seq;
	unsigned int ctrl_timeouts_in_row;	/* under ctrl_lock */
	struct offnic_identify ident;

	/* datapath; indices are free-running, slot = idx & mask */
	struct napi_struct napi;
	u32 tx_prod;				/* next slot the driver fills */
	u32 tx_clean;				/* completions consumed */
	u32 rx_prod;				/* buffers posted */
	u32 rx_cons;				/* frames consumed */
	u32 irq_usecs;				/* ethtool -C rx-usecs */
	u32 irq_frames;				/* ethtool -C rx-frames */
	struct offnic_sw_stats rx_stats;
	struct offnic_sw_stats tx_stats;
	atomic64_t bad_desc;			/* malformed descriptors refused */
	struct offnic_err_stats err;
	atomic64_t tx_timeouts;			/* ndo_tx_timeout calls */

	/* device health */
	struct delayed_work health_work;
	u64 last_heartbeat;
	unsigned int heartbeat_misses;
	unsigned int recover_wait;		/* health periods before the next try */
	unsigned int recover_backoff;
	bool dead;				/* device failed; datapath stopped */
	bool reset_wanted;			/* not dead, but its state is corrupt */
	bool up;				/* NAPI enabled, IRQ may schedule it */
	struct list_head maps;			/* struct offnic_map, under rtnl */

	/* BPF */
	struct bpf_offload_dev *bpf_dev;
	struct xdp_attachment_info xdp_drv;	/* runs on the host, in NAPI */
	struct xdp_attachment_info xdp_hw;	/* runs on the device */
	struct bpf_prog *tc_prog;		/* tc skip_sw, on the device */
	struct xdp_rxq_info xdp_rxq;
	struct offnic_knobs knobs;
	u64 xdp_drops;
	u64 xdp_tx;
	u64 xdp_aborted;
	struct offnic_rx_meta rx_meta;		/* of the packet in driver XDP */
	struct offnic_event_ring *evring;
	u32 ev_cons;
	u64 events;				/* delivered to perf event arrays */
	u64 events_lost;			/* the perf buffer was full */
	u64 events_bad;				/* records naming no perf event array */

	struct dentry *dbg_dir;
};

static inline struct offnic *offnic_from_netdev(struct net_device *netdev)
{
	return *(struct offnic **)netdev_priv(netdev);
}

void offnic_doorbell(struct offnic *nic, u16 vector);
void offnic_mark_dead(struct offnic *nic, const char *why);
int offnic_check_header(struct offnic *nic);

/* ctrl.c */
extern const char * const offnic_counter_names[OFFNIC_CNT_MAX];
int offnic_ctrl_cmd(struct offnic *nic, u32 op, const void *req, u32 req_len,
		    void *resp, u32 resp_len, u32 *resp_used);
int offnic_ctrl_identify(struct offnic *nic);
int offnic_ctrl_handshake(struct offnic *nic);
int offnic_ctrl_read_counter(struct offnic *nic, u32 id, u64 *val);
irqreturn_t offnic_ctrl_irq(int irq, void *data);

/* rings.c */
int offnic_rings_init(struct offnic *nic);
void offnic_rx_refill(struct offnic *nic);
void offnic_set_coalesce_hw(struct offnic *nic);
netdev_tx_t offnic_xmit(struct sk_buff *skb, struct net_device *netdev);
void offnic_tx_timeout(struct net_device *netdev, unsigned int txqueue);
int offnic_napi_poll(struct napi_struct *napi, int budget);
irqreturn_t offnic_data_irq(int irq, void *data);

/* netdev.c */
int offnic_open(struct net_device *netdev);
int offnic_stop(struct net_device *netdev);
int offnic_netdev_create(struct offnic *nic);
void offnic_netdev_destroy(struct offnic *nic);
bool offnic_is_offnic_netdev(const struct net_device *netdev);

/* ethtool.c */
extern const struct ethtool_ops offnic_ethtool_ops;

/* debugfs.c */
void offnic_debugfs_init(void);
void offnic_debugfs_exit(void);
void offnic_debugfs_add(struct offnic *nic);
void offnic_debugfs_del(struct offnic *nic);

/* health.c */
void offnic_health_start(struct offnic *nic);
void offnic_health_stop(struct offnic *nic);
void offnic_request_reset(struct offnic *nic, const char *why);

/* offload.c */
int offnic_offload_init(struct offnic *nic);
void offnic_offload_fini(struct offnic *nic);

/* xdp.c */
int offnic_ndo_bpf(struct net_device *netdev, struct netdev_bpf *bpf);
int offnic_dev_load_prog(struct offnic *nic, u32 slot, struct bpf_prog *prog);
int offnic_dev_unload_prog(struct offnic *nic, u32 slot);
u32 offnic_run_xdp_drv(struct offnic *nic, struct bpf_prog *prog, u8 *buf,
		       u16 *off, u16 *len);

/* maps.c */
int offnic_map_alloc(struct offnic *nic, struct bpf_offloaded_map *offmap);
void offnic_map_free(struct offnic *nic, struct bpf_offloaded_map *offmap);
int offnic_maps_restore(struct offnic *nic);

/* tc.c */
int offnic_ndo_setup_tc(struct net_device *netdev, enum tc_setup_type type,
			void *type_data);

/* rings.c */
int offnic_tx_frame(struct offnic *nic, const void *data, unsigned int len);

/* events.c */
void offnic_events_init(struct offnic *nic);
void offnic_events_poll(struct offnic *nic);

/* kfunc.c */
int offnic_kfunc_register(void);

#endif /* _OFFNIC_H */
