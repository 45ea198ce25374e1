/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * offnic device ABI: everything the driver (kmod/) and the device
 * (hw/sim/offnic-sim) agree on.  This is the only definition of it;
 * docs/device-abi.md explains it in prose.
 *
 * Transport: a stock QEMU ivshmem-doorbell PCI device (1af4:1110).
 *   BAR0  ivshmem registers (IntrMask, IntrStatus, IVPosition, Doorbell)
 *   BAR1  MSI-X table
 *   BAR2  shared memory laid out as below, owned by the simulator
 *
 * Doorbells (guest -> device): write (OFFNIC_DEV_PEER << 16 | vector) to
 * BAR0 + OFFNIC_IVSHMEM_DOORBELL.  Interrupts (device -> guest): MSI-X
 * vectors.  Both sides are x86-64 little endian; multi-byte fields are
 * little endian.
 *
 * Every index and length the driver reads from this memory is untrusted
 * and must be validated before use.
 */
#ifndef OFFNIC_ABI_H
#define OFFNIC_ABI_H

#include <linux/types.h>

#define OFFNIC_PCI_VENDOR		0x1af4
#define OFFNIC_PCI_DEVICE		0x1110

#define OFFNIC_MAGIC			0x43494e4fU	/* "ONIC" */
#define OFFNIC_ABI_VERSION		1U

/* ivshmem BAR0 register offsets (QEMU docs/specs/ivshmem-spec) */
#define OFFNIC_IVSHMEM_INTRMASK		0x00
#define OFFNIC_IVSHMEM_INTRSTATUS	0x04
#define OFFNIC_IVSHMEM_IVPOSITION	0x08
#define OFFNIC_IVSHMEM_DOORBELL		0x0c

/* The simulator is always ivshmem peer 0; QEMU's guest is peer >= 1. */
#define OFFNIC_DEV_PEER			0

/* Doorbell vectors, guest -> device */
#define OFFNIC_DB_CTRL			0	/* a control request is posted */
#define OFFNIC_DB_DATA			1	/* TX descriptors or RX buffers posted */

/* MSI-X vectors, device -> guest */
#define OFFNIC_VEC_CTRL			0	/* a control response is ready */
#define OFFNIC_VEC_DATA			1	/* RX frames or TX completions */
#define OFFNIC_NUM_VECTORS		2

/* Feature bits in offnic_hdr.features */
#define OFFNIC_F_WIRE			(1ULL << 0)	/* a wire port is attached */
#define OFFNIC_F_ENGINE			(1ULL << 1)	/* a microcode engine runs programs */
#define OFFNIC_F_PCAP			(1ULL << 2)	/* wire traffic is captured */

/* Device status in offnic_hdr.status */
#define OFFNIC_STATUS_RESET		0
#define OFFNIC_STATUS_READY		1
#define OFFNIC_STATUS_FAILED		2

/* Shared-memory layout (offsets into BAR2) */
#define OFFNIC_SHM_SIZE			(32U << 20)
#define OFFNIC_HDR_OFF			0x0000U
#define OFFNIC_CTRL_OFF			0x1000U		/* struct offnic_ctrl */
#define OFFNIC_CTRL_PAYLOAD_MAX		0xf000U		/* bytes each way */
#define OFFNIC_TXRING_OFF		0x40000U
#define OFFNIC_RXRING_OFF		0x48000U
#define OFFNIC_RING_SIZE		256U		/* entries, power of two */
#define OFFNIC_BUF_SIZE			2048U
#define OFFNIC_TXBUF_OFF		0x100000U
#define OFFNIC_RXBUF_OFF		0x200000U
#define OFFNIC_EVRING_OFF		0x50000U	/* struct offnic_event_ring */
#define OFFNIC_DEVMEM_OFF		0x400000U	/* device memory: images, maps */
#define OFFNIC_DEVMEM_SIZE		(OFFNIC_SHM_SIZE - OFFNIC_DEVMEM_OFF)

/* Largest frame on the wire (without FCS) */
#define OFFNIC_MAX_FRAME		1514U
/* Bytes kept in front of an RX frame so the engine can grow the head */
#define OFFNIC_RX_HEADROOM		256U

#define OFFNIC_CNT_SLOTS		16

/*
 * Header at BAR2 offset 0.  Written by the device at start; the driver
 * refuses to bind unless magic and abi_version match.
 */
struct offnic_hdr {
	__u32 magic;
	__u32 abi_version;
	__u64 features;
	__u32 shm_size;
	__u32 status;			/* OFFNIC_STATUS_* */
	__u32 ring_size;		/* entries in each ring */
	__u32 buf_size;			/* bytes per packet buffer */
	__u32 ctrl_off;
	__u32 txring_off;
	__u32 rxring_off;
	__u32 txbuf_off;
	__u32 rxbuf_off;
	__u32 devmem_off;
	__u32 devmem_size;
	__u32 rsvd0;
	__u64 heartbeat;		/* bumped by the device while it is alive */
	__u8  mac[6];			/* port MAC address */
	__u8  rsvd1[2];
	/*
	 * The device mirrors its counters (enum offnic_counter) here as they
	 * change, so the host can read them from atomic context; the control
	 * queue's READ_COUNTER gives the same values.
	 */
	__u64 counters[OFFNIC_CNT_SLOTS];
	/*
	 * Interrupt moderation, written by the driver (ethtool -C) and read
	 * by the device each time it has something to announce on
	 * OFFNIC_VEC_DATA.  The device raises the interrupt once irq_frames
	 * RX frames are pending, or irq_usecs after the first of them,
	 * whichever comes first; 0 in either field: no limit of that kind,
	 * 0 in both: an interrupt for every event.  TX completions and event
	 * records wait for the same timer.  Zero at power-on.
	 */
	__u32 irq_usecs;
	__u32 irq_frames;
};

/*
 * Control queue: one request and one response slot.  The driver writes
 * the request, then req.seq, then rings OFFNIC_DB_CTRL.  The device
 * answers by writing the response, then resp.seq = req.seq, then raising
 * OFFNIC_VEC_CTRL.  One request is in flight at a time.
 */
enum offnic_ctrl_op {
	OFFNIC_CMD_IDENTIFY	= 1,	/* -> struct offnic_identify */
	OFFNIC_CMD_READ_COUNTER	= 2,	/* struct offnic_counter_req -> __u64 */
	OFFNIC_CMD_LOAD_PROG	= 3,	/* struct offnic_load_prog_req -> - */
	OFFNIC_CMD_UNLOAD_PROG	= 4,	/* struct offnic_prog_req -> - */
	OFFNIC_CMD_MAP_ALLOC	= 5,	/* struct offnic_map_alloc_req -> struct offnic_map_alloc_resp */
	OFFNIC_CMD_MAP_FREE	= 6,	/* struct offnic_map_req -> - */
	OFFNIC_CMD_MAP_LOOKUP	= 7,	/* offnic_map_req + key -> value */
	OFFNIC_CMD_MAP_UPDATE	= 8,	/* offnic_map_req + key + value -> - */
	OFFNIC_CMD_MAP_DELETE	= 9,	/* offnic_map_req + key -> - */
	OFFNIC_CMD_MAP_GETNEXT	= 10,	/* offnic_map_req [+ key] -> next key */
	OFFNIC_CMD_PROG_STATS	= 11,	/* struct offnic_prog_req -> struct offnic_prog_stats */
	OFFNIC_CMD_TEST_RUN	= 12,	/* struct offnic_test_run_req + frame -> struct offnic_test_run_resp + meta + frame */
	OFFNIC_CMD_READ_FAULTS	= 13,	/* struct offnic_prog_req -> struct offnic_fault_rec[] */
	OFFNIC_CMD_INJECT	= 14,	/* struct offnic_inject_req -> - (test hook) */
	OFFNIC_CMD_RESET	= 15,	/* - -> -: back to the power-on state */
};

/*
 * Offload.  The device has one program slot per attach point; a frame
 * from the wire runs the XDP program, then (if it passed) the tc program.
 * Map handles (slots) are the device's; a program's image names its maps
 * by index and LOAD_PROG binds each index to a slot.
 */
enum offnic_prog_slot {
	OFFNIC_SLOT_XDP		= 0,
	OFFNIC_SLOT_TC		= 1,
	OFFNIC_NUM_SLOTS
};

#define OFFNIC_MAX_MAPS		64
#define OFFNIC_MAX_KEY		256	/* the model's and the RTL's hash engines */
#define OFFNIC_MAX_VALUE	4096

struct offnic_prog_req {
	__u32 slot;			/* enum offnic_prog_slot */
	__u32 rsvd;
};

/* The image (hw/include/offnic_image.h) follows in the payload. */
struct offnic_load_prog_req {
	__u32 slot;			/* enum offnic_prog_slot */
	__u32 n_maps;			/* entries of map_slots in use */
	__s32 map_slots[OFFNIC_MAX_MAPS]; /* image map index -> device map slot,
					   * -1: a host map (perf event array) */
	__u32 image_len;
	__u32 ifindex;			/* the port's ifindex: ctx ingress_ifindex */
};

struct offnic_map_alloc_req {
	__u32 type;			/* OFFNIC_MAP_ARRAY / OFFNIC_MAP_HASH */
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 flags;
	__u32 rsvd;
};

struct offnic_map_alloc_resp {
	__u32 slot;
	__u32 rsvd;
};

/* Key, then value, follow in the payload as the op needs them. */
struct offnic_map_req {
	__u32 slot;
	__u32 flags;			/* update: BPF_ANY/NOEXIST/EXIST */
	__u32 has_key;			/* getnext: 0 = first key */
	__u32 rsvd;
};

/*
 * A window of the last packets: cycles and verdict of each, for the
 * host's medians and per-verdict histograms (qemu/cmd-run.sh).
 */
#define OFFNIC_RECENT_CYCLES	256

struct offnic_prog_stats {
	__u64 packets;
	__u64 verdicts[8];		/* by verdict value 0..7 (XDP: ABORTED..REDIRECT) */
	__u64 faults;
	__u64 cycles_total;
	__u64 cycles_min;
	__u64 cycles_max;
	__u64 bundles_total;
	__u32 loaded;			/* a program is in the slot */
	__u32 n_bundles;		/* of the loaded image */
	__u32 n_recent;			/* valid entries of recent_cycles */
	__u32 rsvd;
	__u32 recent_cycles[OFFNIC_RECENT_CYCLES]; /* last packets' cycles, any order */
	__u8  recent_verdicts[OFFNIC_RECENT_CYCLES]; /* their verdicts, same index */
};

struct offnic_fault_rec {
	__u64 seq;			/* fault number since load, from 1 */
	__u32 pc;
	__u32 lane;
	__u32 cause;			/* ISA_FAULT code, hw/isa/offnic_isa.def */
	__u32 rsvd;
	__u64 addr;
};

#define OFFNIC_MAX_FAULT_RECS	16

/* Run one frame through a slot's program without touching the wire. */
struct offnic_test_run_req {
	__u32 slot;
	__u32 len;			/* frame bytes that follow */
};

struct offnic_test_run_resp {
	__u32 verdict;
	__u32 len;			/* output frame bytes that follow */
	__u64 cycles;
	__u64 bundles;
	__u32 fault_cause;		/* 0: none */
	__u32 fault_pc;
	__u32 meta_len;			/* metadata bytes before the frame */
	__u32 rsvd;
};

/* Test hooks that make a device misbehave, so the driver's error paths
 * can be exercised from a selftest.
 */
enum offnic_inject {
	OFFNIC_INJECT_CRASH	= 1,	/* the simulator exits at once */
	OFFNIC_INJECT_HANG	= 2,	/* stops serving and beating, stays alive */
	OFFNIC_INJECT_BAD_RX	= 3,	/* next RX descriptor is malformed (arg) */
	OFFNIC_INJECT_REBOOT	= 4,	/* firmware crash, restart after arg ms */
	OFFNIC_INJECT_CTRL_DELAY = 5,	/* answer the next request arg ms late */
	OFFNIC_INJECT_TX_PAUSE	= 6,	/* ignore TX doorbells: frames stay posted */
	OFFNIC_INJECT_TX_RESUME	= 7,	/* take the TX ring again, now */
	OFFNIC_INJECT_TX_RESUME_QUIET = 8, /* again at the next doorbell only */
};

/* What OFFNIC_INJECT_BAD_RX breaks in the next RX descriptor (arg) */
enum offnic_bad_rx {
	OFFNIC_BAD_RX_LEN	= 0,	/* len 0xffff */
	OFFNIC_BAD_RX_LONG	= 1,	/* len OFFNIC_MAX_FRAME + 200 (fits the buffer) */
	OFFNIC_BAD_RX_META	= 2,	/* meta_len larger than off */
	OFFNIC_BAD_RX_FLAGS	= 3,	/* a flag bit the ABI does not define */
};

struct offnic_inject_req {
	__u32 what;			/* enum offnic_inject */
	__u32 arg;			/* per hook; 0 for CRASH and HANG */
};

/* Counters readable with OFFNIC_CMD_READ_COUNTER */
enum offnic_counter {
	OFFNIC_CNT_RX_FRAMES	= 0,	/* frames the device delivered to the host */
	OFFNIC_CNT_TX_FRAMES	= 1,	/* frames the device sent on the wire */
	OFFNIC_CNT_RX_DROPS	= 2,	/* wire frames dropped: no RX buffer */
	OFFNIC_CNT_CTRL_CMDS	= 3,	/* control requests served */
	OFFNIC_CNT_UPTIME_US	= 4,	/* microseconds since device start */
	OFFNIC_CNT_TX_ERRORS	= 5,	/* TX descriptors that failed validation */
	OFFNIC_CNT_RX_ERRORS	= 6,	/* wire datagrams that are not valid frames */
	/*
	 * Every frame the wire delivers ends in exactly one of: RX_FRAMES,
	 * RX_DROPS, RX_ERRORS, WIRE_OVERFLOW, QUEUE_DROPS, PROG_DROPS or
	 * PROG_TX.  WIRE_OVERFLOW counts frames the host kernel dropped at
	 * the wire port's socket before the device could read them.
	 */
	OFFNIC_CNT_WIRE_OVERFLOW = 7,	/* lost in the wire port's socket buffer */
	OFFNIC_CNT_QUEUE_DROPS	= 8,	/* dropped: the engine's input queue was full */
	OFFNIC_CNT_PROG_DROPS	= 9,	/* consumed by the program: drop, aborted, fault */
	OFFNIC_CNT_PROG_TX	= 10,	/* sent back out of the wire by the program */
	OFFNIC_CNT_IRQS		= 11,	/* data interrupts raised (moderation) */
	OFFNIC_CNT_MAX
};

struct offnic_ctrl_req {
	__u32 seq;
	__u32 op;			/* enum offnic_ctrl_op */
	__u32 len;			/* payload bytes */
	__u32 rsvd;
	__u8  payload[OFFNIC_CTRL_PAYLOAD_MAX];
};

struct offnic_ctrl_resp {
	__u32 seq;
	__s32 status;			/* 0 or a negative errno */
	__u32 len;			/* payload bytes */
	__u32 rsvd;
	__u8  payload[OFFNIC_CTRL_PAYLOAD_MAX];
};

struct offnic_ctrl {
	struct offnic_ctrl_req req;
	struct offnic_ctrl_resp resp;
};

struct offnic_identify {
	char  name[32];			/* NUL terminated */
	__u32 engine;			/* OFFNIC_ENGINE_* */
	__u32 lanes;			/* micro-ops per bundle */
	__u32 cores;
	__u32 rsvd;
	__u64 features;
};

#define OFFNIC_ENGINE_NONE		0
#define OFFNIC_ENGINE_MODEL		1	/* C reference model */
#define OFFNIC_ENGINE_RTL		2	/* Verilated RTL */

struct offnic_counter_req {
	__u32 id;			/* enum offnic_counter */
	__u32 rsvd;
};

/*
 * Descriptor rings.  Each ring has a producer and a consumer index, both
 * free-running __u32 counters (slot = index & (ring_size - 1)).
 *
 * TX: the driver fills txbuf[slot], writes desc, bumps prod, rings
 *     OFFNIC_DB_DATA.  The device sends the frame, bumps cons and raises
 *     OFFNIC_VEC_DATA.
 * RX: the driver posts empty buffers by bumping prod (rxbuf[slot] is the
 *     buffer for that slot).  The device fills a buffer and its desc, then
 *     bumps cons and raises OFFNIC_VEC_DATA.  The frame starts at
 *     desc.off within the buffer.
 */
struct offnic_desc {
	__u16 len;			/* frame bytes */
	__u16 off;			/* frame start within the buffer */
	__u16 flags;			/* OFFNIC_DESC_* */
	__u16 meta_len;			/* bytes of XDP metadata before off */
	__u32 verdict;			/* device verdict, when OFFNIC_DESC_ENGINE */
	__u32 hash;			/* device flow hash */
	__u64 tstamp;			/* device cycle counter at RX */
	__u64 cycles;			/* engine cycles spent on the frame */
};

#define OFFNIC_DESC_ENGINE		(1U << 0)	/* the engine ran on this frame */
/* Every flag the ABI defines: a descriptor with any other bit is malformed */
#define OFFNIC_DESC_FLAGS_ALL		OFFNIC_DESC_ENGINE

struct offnic_ring_idx {
	__u32 prod;
	__u32 rsvd0[15];		/* keep prod and cons on their own lines */
	__u32 cons;
	__u32 rsvd1[15];
};

struct offnic_ring {
	struct offnic_ring_idx idx;
	struct offnic_desc desc[OFFNIC_RING_SIZE];
};

/*
 * Event ring: records of bpf_perf_event_output() calls made by offloaded
 * programs.  The device fills records[prod & mask] and bumps prod, then
 * raises OFFNIC_VEC_DATA; the driver delivers each record to the host
 * PERF_EVENT_ARRAY the program named (its image map index) and bumps
 * cons.  When the ring is full the device drops the event and counts it.
 */
#define OFFNIC_EVRING_SIZE		64U
#define OFFNIC_EVENT_MAX		1024U

struct offnic_event {
	__u32 slot;			/* enum offnic_prog_slot of the program */
	__u32 map_idx;			/* image map index of the perf event array */
	__u64 flags;			/* the helper's flags (index, BPF_F_CURRENT_CPU) */
	__u32 len;			/* bytes of data */
	__u32 rsvd;
	__u8  data[OFFNIC_EVENT_MAX];
};

struct offnic_event_ring {
	struct offnic_ring_idx idx;
	__u64 dropped;			/* events lost to a full ring */
	__u64 rsvd[7];
	struct offnic_event rec[OFFNIC_EVRING_SIZE];
};

#endif /* OFFNIC_ABI_H */
