/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FIREWALL_H
#define FIREWALL_H

#define FW_RULES	8
#define FW_DEFAULT	FW_RULES	/* hits[] slot of unmatched packets */

/* One rule; proto 0 ends the list */
struct fw_rule {
	__u8 proto;			/* IPPROTO_* */
	__u8 action;			/* XDP_DROP, XDP_PASS, ... */
	__u16 dport;			/* host order; 0 matches any port */
};

#endif
