/*
 * export.h - the public interface, as the library itself sees it.
 *
 * Every declaration of <tcpd.h> gets default visibility here, while the rest of the library
 * is compiled hidden (-fvisibility=hidden); lib/libwrap.map then decides what leaves the
 * shared object.  Also declares the classic exports that <tcpd.h> never declared.
 *
 * The library calls its own interposable exports (shell_cmd, rfc931, clean_exit, tcpd_warn,
 * eval_*) by their public names, so a program that defines one of them replaces it for the
 * library too, as with the classic libwrap.
 */
#ifndef WRAP_EXPORT_H
#define WRAP_EXPORT_H

#include <setjmp.h>
#include <sys/socket.h>

#pragma GCC visibility push(default)
#define INET6 1
#include <tcpd.h>
#undef INET6

/* Exported by the classic library but never declared in its header. */
extern jmp_buf tcpd_buf;
void fix_options(struct request_info *request);
char *percent_m(char *obuf, char *ibuf);
unsigned long cidr_mask_addr(char *text);
#pragma GCC visibility pop

#endif
