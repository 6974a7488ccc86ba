/*
 * findTcpSocket(family, localAddress, localPort, remoteAddress, remotePort) -> Promise<{inode, uid} | null>:
 * the kernel's own record of one TCP socket, found by its exact 4-tuple through netlink sock_diag
 * (man 7 sock_diag, SOCK_DIAG_BY_FAMILY without NLM_F_DUMP). Unlike /proc/net/tcp, which walks the
 * whole TCP hash table, this is one hash lookup. imds-lab asks for the client end of a token-less
 * IMDS connection while its caller still waits for the answer (docs/behaviour.md, "IMDSv1 callers").
 *
 * findTcpSocketOwner(...same, hintPids Int32Array, maxParents) -> Promise<{inode, uid, processes} | null>
 * goes on to the process holding that socket: /proc/<pid>/fd is searched for `socket:[inode]`,
 * hinted pids first, then every pid of the socket's uid, newest first (a one-shot caller is nearly
 * always among the newest), then the rest; `processes` holds the raw /proc texts (stat, cmdline,
 * status, cgroup, exe) of that process and its parents, read in the same pass while it still exists.
 *
 * Both run on libuv's thread pool, never on the caller's event loop: a thread doing readlink() in
 * a loop finds a pid in a millisecond where one await per /proc read would take tens on a busy host.
 * Addresses are 4 (AF_INET) or 16 (AF_INET6) bytes in network order.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <node_api.h>

#define MAX_PROCESSES 5
#define MAX_HINTS 64

typedef struct {
  int pid;
  char stat[1024];
  char cmdline[8192];
  size_t cmdline_length;
  char status[4096];
  char cgroup[4096];
  char exe[4096];
  int has_exe;
} process_t;

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  int family;
  uint8_t local[16];
  uint8_t remote[16];
  uint16_t local_port;
  uint16_t remote_port;
  int error;
  int found;
  uint32_t inode;
  uint32_t uid;
  /* findTcpSocketOwner only */
  int want_owner;
  int hints[MAX_HINTS];
  int hint_count;
  int max_parents;
  int process_count;
  process_t *processes;
} lookup_t;

static void lookup(lookup_t *l) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    l->error = errno;
    return;
  }
  struct {
    struct nlmsghdr header;
    struct inet_diag_req_v2 request;
  } message;
  memset(&message, 0, sizeof message);
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  message.header.nlmsg_flags = NLM_F_REQUEST;
  message.request.sdiag_family = (uint8_t)l->family;
  message.request.sdiag_protocol = IPPROTO_TCP;
  message.request.idiag_states = ~0u;
  /* The socket's own ("source") end is the client's: its local address and port. */
  message.request.id.idiag_sport = htons(l->local_port);
  message.request.id.idiag_dport = htons(l->remote_port);
  memcpy(message.request.id.idiag_src, l->local, l->family == AF_INET ? 4 : 16);
  memcpy(message.request.id.idiag_dst, l->remote, l->family == AF_INET ? 4 : 16);
  message.request.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
  message.request.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (sendto(fd, &message, sizeof message, 0, (struct sockaddr *)&kernel, sizeof kernel) < 0) {
    l->error = errno;
    close(fd);
    return;
  }
  long buffer[2048];
  ssize_t length;
  do length = recv(fd, buffer, sizeof buffer, 0);
  while (length < 0 && errno == EINTR);
  if (length < 0) {
    l->error = errno;
    close(fd);
    return;
  }
  close(fd);
  for (struct nlmsghdr *h = (struct nlmsghdr *)buffer; NLMSG_OK(h, (size_t)length); h = NLMSG_NEXT(h, length)) {
    if (h->nlmsg_type == NLMSG_ERROR) {
      struct nlmsgerr *e = NLMSG_DATA(h);
      /* ENOENT: no such socket (closed, or in another network namespace). */
      if (e->error != 0 && e->error != -ENOENT) l->error = -e->error;
      return;
    }
    if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
      struct inet_diag_msg *m = NLMSG_DATA(h);
      l->found = 1;
      l->inode = m->idiag_inode;
      l->uid = m->idiag_uid;
      return;
    }
  }
}


static int holds_socket(int pid, const char *wanted) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/fd", pid);
  DIR *dir = opendir(path);
  if (dir == NULL) return 0;
  int found = 0;
  size_t wanted_length = strlen(wanted);
  struct dirent *entry;
  char link[64];
  while (!found && (entry = readdir(dir)) != NULL) {
    if (entry->d_name[0] == '.') continue;
    ssize_t n = readlinkat(dirfd(dir), entry->d_name, link, sizeof link - 1);
    if (n == (ssize_t)wanted_length && memcmp(link, wanted, wanted_length) == 0) found = 1;
  }
  closedir(dir);
  return found;
}

static size_t read_file(const char *path, char *buffer, size_t capacity) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  size_t total = 0;
  while (total < capacity - 1) {
    ssize_t n = read(fd, buffer + total, capacity - 1 - total);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    total += (size_t)n;
  }
  close(fd);
  buffer[total] = '\0';
  return total;
}

/* Field 4 of /proc/<pid>/stat, after the last ')' (the command name may hold one). */
static int parent_of(const char *stat) {
  const char *close = strrchr(stat, ')');
  int ppid = 0;
  char state;
  if (close == NULL || sscanf(close + 1, " %c %d", &state, &ppid) != 2) return 0;
  return ppid;
}

static void snapshot(lookup_t *l, int pid) {
  char path[64];
  for (int depth = 0; pid > 0 && depth <= l->max_parents && l->process_count < MAX_PROCESSES; depth++) {
    process_t *p = &l->processes[l->process_count];
    memset(p, 0, sizeof *p);
    p->pid = pid;
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    if (read_file(path, p->stat, sizeof p->stat) == 0) return;
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    p->cmdline_length = read_file(path, p->cmdline, sizeof p->cmdline);
    if (depth == 0) {
      snprintf(path, sizeof path, "/proc/%d/status", pid);
      read_file(path, p->status, sizeof p->status);
      snprintf(path, sizeof path, "/proc/%d/cgroup", pid);
      read_file(path, p->cgroup, sizeof p->cgroup);
      snprintf(path, sizeof path, "/proc/%d/exe", pid);
      ssize_t n = readlink(path, p->exe, sizeof p->exe - 1);
      if (n >= 0) {
        p->exe[n] = '\0';
        p->has_exe = 1;
      }
    }
    l->process_count++;
    pid = parent_of(p->stat);
  }
}

static int compare_descending(const void *a, const void *b) {
  return *(const int *)b - *(const int *)a;
}

static void find_owner(lookup_t *l) {
  char wanted[32];
  snprintf(wanted, sizeof wanted, "socket:[%u]", l->inode);
  for (int i = 0; i < l->hint_count; i++)
    if (holds_socket(l->hints[i], wanted)) return snapshot(l, l->hints[i]);
  DIR *proc = opendir("/proc");
  if (proc == NULL) return;
  size_t count = 0, capacity = 1024;
  int *pids = malloc(capacity * sizeof *pids);
  struct dirent *entry;
  while (pids != NULL && (entry = readdir(proc)) != NULL) {
    if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
    if (count == capacity) {
      int *grown = realloc(pids, (capacity *= 2) * sizeof *pids);
      if (grown == NULL) break;
      pids = grown;
    }
    pids[count++] = atoi(entry->d_name);
  }
  closedir(proc);
  if (pids == NULL) return;
  qsort(pids, count, sizeof *pids, compare_descending);
  /* The socket's uid first; a setuid process can hold a socket created under another uid, so then the rest. */
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < count; i++) {
      char path[64];
      struct stat owner;
      snprintf(path, sizeof path, "/proc/%d", pids[i]);
      if (stat(path, &owner) != 0) continue;
      if ((owner.st_uid == l->uid) != (pass == 0)) continue;
      if (holds_socket(pids[i], wanted)) {
        int pid = pids[i];
        free(pids);
        return snapshot(l, pid);
      }
    }
  }
  free(pids);
}

static void execute(napi_env env, void *data) {
  (void)env;
  lookup_t *l = data;
  lookup(l);
  if (l->want_owner && l->found && l->inode != 0 && l->error == 0) find_owner(l);
}

static napi_value string_property(napi_env env, napi_value object, const char *name, const char *text, size_t length) {
  napi_value value;
  napi_create_string_utf8(env, text, length, &value);
  napi_set_named_property(env, object, name, value);
  return value;
}

static napi_value processes_array(napi_env env, lookup_t *l) {
  napi_value array;
  napi_create_array_with_length(env, (size_t)l->process_count, &array);
  for (int i = 0; i < l->process_count; i++) {
    process_t *p = &l->processes[i];
    napi_value item, pid;
    napi_create_object(env, &item);
    napi_create_int32(env, p->pid, &pid);
    napi_set_named_property(env, item, "pid", pid);
    string_property(env, item, "stat", p->stat, NAPI_AUTO_LENGTH);
    string_property(env, item, "cmdline", p->cmdline, p->cmdline_length);
    string_property(env, item, "status", p->status, NAPI_AUTO_LENGTH);
    string_property(env, item, "cgroup", p->cgroup, NAPI_AUTO_LENGTH);
    if (p->has_exe) string_property(env, item, "exe", p->exe, NAPI_AUTO_LENGTH);
    napi_set_element(env, array, (uint32_t)i, item);
  }
  return array;
}

static void complete(napi_env env, napi_status status, void *data) {
  lookup_t *l = data;
  napi_value result;
  if (status != napi_ok || l->error != 0) {
    napi_value message;
    napi_create_string_utf8(env, status != napi_ok ? "sock_diag: cancelled" : strerror(l->error), NAPI_AUTO_LENGTH, &message);
    napi_create_error(env, NULL, message, &result);
    napi_reject_deferred(env, l->deferred, result);
  } else if (!l->found) {
    napi_get_null(env, &result);
    napi_resolve_deferred(env, l->deferred, result);
  } else {
    napi_value inode, uid;
    napi_create_object(env, &result);
    napi_create_uint32(env, l->inode, &inode);
    napi_create_uint32(env, l->uid, &uid);
    napi_set_named_property(env, result, "inode", inode);
    napi_set_named_property(env, result, "uid", uid);
    if (l->want_owner) napi_set_named_property(env, result, "processes", processes_array(env, l));
    napi_resolve_deferred(env, l->deferred, result);
  }
  napi_delete_async_work(env, l->work);
  free(l->processes);
  free(l);
}

static int read_address(napi_env env, napi_value value, int family, uint8_t *out) {
  void *data;
  size_t length;
  if (napi_get_buffer_info(env, value, &data, &length) != napi_ok) return 0;
  if (length != (family == AF_INET ? 4u : 16u)) return 0;
  memcpy(out, data, length);
  return 1;
}

static napi_value start(napi_env env, napi_callback_info info, int want_owner) {
  size_t argc = 7;
  napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  lookup_t *l = calloc(1, sizeof *l);
  int32_t family = 0, local_port = 0, remote_port = 0;
  if (l == NULL || argc < 5 || napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_get_value_int32(env, argv[2], &local_port) != napi_ok || napi_get_value_int32(env, argv[4], &remote_port) != napi_ok) {
    free(l);
    napi_throw_type_error(env, NULL, "findTcpSocket(family 4|6, local Buffer, localPort, remote Buffer, remotePort)");
    return NULL;
  }
  l->family = family == 4 ? AF_INET : AF_INET6;
  l->local_port = (uint16_t)local_port;
  l->remote_port = (uint16_t)remote_port;
  if (!read_address(env, argv[1], l->family, l->local) || !read_address(env, argv[3], l->family, l->remote)) {
    free(l);
    napi_throw_type_error(env, NULL, "findTcpSocket: an address must be 4 (IPv4) or 16 (IPv6) bytes");
    return NULL;
  }
  if (want_owner) {
    int32_t max_parents = 3;
    if (argc >= 7) napi_get_value_int32(env, argv[6], &max_parents);
    l->want_owner = 1;
    l->max_parents = max_parents < 0 ? 0 : max_parents > MAX_PROCESSES - 1 ? MAX_PROCESSES - 1 : max_parents;
    l->processes = calloc(MAX_PROCESSES, sizeof *l->processes);
    napi_typedarray_type type;
    size_t length = 0;
    void *data = NULL;
    if (argc >= 6 && napi_get_typedarray_info(env, argv[5], &type, &length, &data, NULL, NULL) == napi_ok && type == napi_int32_array) {
      l->hint_count = length > MAX_HINTS ? MAX_HINTS : (int)length;
      memcpy(l->hints, data, (size_t)l->hint_count * sizeof(int));
    }
    if (l->processes == NULL) {
      free(l);
      napi_throw_error(env, NULL, "findTcpSocketOwner: out of memory");
      return NULL;
    }
  }
  napi_value promise, name;
  napi_create_promise(env, &l->deferred, &promise);
  napi_create_string_utf8(env, "imds-lab:sock_diag", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, execute, complete, l, &l->work);
  napi_queue_async_work(env, l->work);
  return promise;
}

static napi_value find_tcp_socket(napi_env env, napi_callback_info info) {
  return start(env, info, 0);
}

static napi_value find_tcp_socket_owner(napi_env env, napi_callback_info info) {
  return start(env, info, 1);
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "findTcpSocket", NAPI_AUTO_LENGTH, find_tcp_socket, NULL, &fn);
  napi_set_named_property(env, exports, "findTcpSocket", fn);
  napi_create_function(env, "findTcpSocketOwner", NAPI_AUTO_LENGTH, find_tcp_socket_owner, NULL, &fn);
  napi_set_named_property(env, exports, "findTcpSocketOwner", fn);
  return exports;
}
