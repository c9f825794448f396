// C shim for the DNS-SD API (Avahi's compatibility library on Linux, Bonjour on macOS).
// Only the WeMeetDiscovery target imports this module.
#ifndef WEMEET_CDNSSD_SHIM_H
#define WEMEET_CDNSSD_SHIM_H
#include <dns_sd.h>

#ifdef __linux__
#include <dlfcn.h>
#include <stdlib.h>

// Avahi 0.8's compatibility layer allocates each DNSServiceRef with malloc and leaves the
// callback pointers it does not use uninitialised; when the daemon goes away, its client
// callback tests `service_browser_callback` first, so a live Resolve or QueryRecord ref
// jumps to garbage. Installing a zeroing allocator (avahi_set_allocator, looked up at run
// time so nothing links against avahi-common directly) makes those pointers NULL, and the
// failure reaches the right callback as kDNSServiceErr_Unknown.
typedef struct {
    void *(*malloc)(size_t size);
    void (*free)(void *p);
    void *(*realloc)(void *p, size_t size);
    void *(*calloc)(size_t nmemb, size_t size);
} wemeet_avahi_allocator;

static void *wemeet_avahi_zeroing_malloc(size_t size) { return calloc(1, size ? size : 1); }

static const wemeet_avahi_allocator wemeet_avahi_zeroing = {
    wemeet_avahi_zeroing_malloc, free, realloc, calloc,
};

/// Prepares the DNS-SD library once per process (Avahi: zeroing allocator, quiet banner).
static inline void wemeet_dnssd_prepare(void) {
    setenv("AVAHI_COMPAT_NOWARN", "1", 0);
    void (*set_allocator)(const wemeet_avahi_allocator *) =
        (void (*)(const wemeet_avahi_allocator *))dlsym(RTLD_DEFAULT, "avahi_set_allocator");
    if (set_allocator) set_allocator(&wemeet_avahi_zeroing);
}
#else
static inline void wemeet_dnssd_prepare(void) {}
#endif

#endif
