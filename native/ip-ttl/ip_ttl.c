/*
 * setTtl(fd, ttl) / getTtl(fd): the IP TTL (IPv4, IP_TTL) or unicast hop limit (IPv6,
 * IPV6_UNICAST_HOPS) of one connected socket. imds-lab sets it on the socket that carries the
 * IMDSv2 token PUT response, which EC2 sends with TTL = HttpPutResponseHopLimit (imds-spec
 * section 1.13). node exposes no such socket option, hence this addon; it needs node_api.h only.
 * It also holds the two other descriptor-level calls the IMDS needs and node lacks: accepting a
 * whole listen queue, and raising the soft limit on open descriptors (one per instance endpoint).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <node_api.h>

static napi_value throw_errno(napi_env env, const char *call) {
  char message[128];
  snprintf(message, sizeof message, "%s: %s", call, strerror(errno));
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int socket_family(int fd) {
  struct sockaddr_storage address;
  socklen_t length = sizeof address;
  if (getsockname(fd, (struct sockaddr *)&address, &length) != 0) return -1;
  return address.ss_family;
}

static int read_int_args(napi_env env, napi_callback_info info, size_t want, int32_t *out) {
  napi_value argv[2];
  size_t argc = 2;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "expected integer arguments");
    return 0;
  }
  for (size_t i = 0; i < want; i++) {
    if (napi_get_value_int32(env, argv[i], &out[i]) != napi_ok) {
      napi_throw_type_error(env, NULL, "expected integer arguments");
      return 0;
    }
  }
  return 1;
}

static napi_value set_ttl(napi_env env, napi_callback_info info) {
  int32_t args[2];
  if (!read_int_args(env, info, 2, args)) return NULL;
  int fd = args[0], ttl = args[1];
  if (ttl < 1 || ttl > 255) {
    napi_throw_range_error(env, NULL, "ttl must be 1..255");
    return NULL;
  }
  int family = socket_family(fd);
  if (family < 0) return throw_errno(env, "getsockname");
  if (family == AF_INET6) {
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl) != 0) return throw_errno(env, "setsockopt(IPV6_UNICAST_HOPS)");
    /* An IPv4-mapped peer on a dual-stack socket uses the IPv4 TTL; Linux accepts IP_TTL here. */
    (void)setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl);
  } else if (family == AF_INET) {
    if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) != 0) return throw_errno(env, "setsockopt(IP_TTL)");
  } else {
    napi_throw_error(env, NULL, "not an IP socket");
    return NULL;
  }
  return NULL;
}

static napi_value get_ttl(napi_env env, napi_callback_info info) {
  int32_t args[1];
  if (!read_int_args(env, info, 1, args)) return NULL;
  int fd = args[0];
  int family = socket_family(fd);
  if (family < 0) return throw_errno(env, "getsockname");
  int value = 0;
  socklen_t length = sizeof value;
  int level = family == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP;
  int name = family == AF_INET6 ? IPV6_UNICAST_HOPS : IP_TTL;
  if (getsockopt(fd, level, name, &value, &length) != 0) return throw_errno(env, "getsockopt");
  napi_value result;
  napi_create_int32(env, value, &result);
  return result;
}

/*
 * acceptPending(listenFd, max): accepts up to `max` connections already waiting in the listen
 * queue and returns their descriptors (non-blocking, close-on-exec). libuv accepts one connection
 * per event-loop turn (libuv pull request 3696); under load from many keep-alive clients a turn
 * is long, so a burst of new connections waited seconds in the queue (issue 11, reproduction 7).
 */
static napi_value accept_pending(napi_env env, napi_callback_info info) {
  int32_t args[2];
  if (!read_int_args(env, info, 2, args)) return NULL;
  napi_value result;
  napi_create_array(env, &result);
  uint32_t count = 0;
  while ((int32_t)count < args[1]) {
    int fd = accept4(args[0], NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      break; /* EAGAIN: the queue is empty; anything else (EMFILE ...): libuv's own accept reports it */
    }
    napi_value value;
    napi_create_int32(env, fd, &value);
    napi_set_element(env, result, count++, value);
  }
  return result;
}

/*
 * raiseFileLimit(): every instance holds a listening socket, so the soft RLIMIT_NOFILE (often
 * 1024) caps how many instances one emulator serves. Raises it to the hard limit, as a server may,
 * and returns { soft, hard } after the change (an unlimited hard limit is capped at 1 << 20).
 */
static napi_value raise_file_limit(napi_env env, napi_callback_info info) {
  (void)info;
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return throw_errno(env, "getrlimit");
  rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? (rlim_t)1 << 20 : limit.rlim_max;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    struct rlimit raised = { wanted, limit.rlim_max };
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  napi_value result, soft, hard;
  napi_create_object(env, &result);
  napi_create_double(env, limit.rlim_cur == RLIM_INFINITY ? -1 : (double)limit.rlim_cur, &soft);
  napi_create_double(env, limit.rlim_max == RLIM_INFINITY ? -1 : (double)limit.rlim_max, &hard);
  napi_set_named_property(env, result, "soft", soft);
  napi_set_named_property(env, result, "hard", hard);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "setTtl", NAPI_AUTO_LENGTH, set_ttl, NULL, &fn);
  napi_set_named_property(env, exports, "setTtl", fn);
  napi_create_function(env, "getTtl", NAPI_AUTO_LENGTH, get_ttl, NULL, &fn);
  napi_set_named_property(env, exports, "getTtl", fn);
  napi_create_function(env, "acceptPending", NAPI_AUTO_LENGTH, accept_pending, NULL, &fn);
  napi_set_named_property(env, exports, "acceptPending", fn);
  napi_create_function(env, "raiseFileLimit", NAPI_AUTO_LENGTH, raise_file_limit, NULL, &fn);
  napi_set_named_property(env, exports, "raiseFileLimit", fn);
  return exports;
}
