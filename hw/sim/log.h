/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
#ifndef SIM_LOG_H
#define SIM_LOG_H

int log_open(const char *path);
void log_close(void);
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
