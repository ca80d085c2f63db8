/* alloc: pointer-heavy data structures on a bump allocator over a static
 * arena — singly linked lists (build, reverse, merge sort), an AVL tree
 * (insert/delete with rotations, invariants checked), an unbalanced binary
 * search tree, and a chained hash table with deletions.
 * argv[1] = number of keys per round (default 4000; rounds of at most 20000).
 * kind: int */
#include "rt.h"

#define NOINLINE __attribute__((noinline))

/* ---------------- bump allocator ---------------- */
static unsigned char arena[4 << 20] __attribute__((aligned(16)));
static size_t arena_top, arena_peak;

static void *bump(size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (arena_top + n > sizeof arena) return 0;
    void *p = arena + arena_top;
    arena_top += n;
    if (arena_top > arena_peak) arena_peak = arena_top;
    return p;
}
static void arena_reset(void) { arena_top = 0; }

/* ---------------- linked list ---------------- */
struct node { struct node *next; uint64_t key; uint32_t tag; };

static struct node *list_push(struct node *head, uint64_t key, uint32_t tag) {
    struct node *n = bump(sizeof *n);
    n->next = head; n->key = key; n->tag = tag;
    return n;
}

NOINLINE static struct node *list_reverse(struct node *h) {
    struct node *prev = 0;
    while (h) { struct node *nx = h->next; h->next = prev; prev = h; h = nx; }
    return prev;
}

static struct node *list_merge(struct node *a, struct node *b) {
    struct node head, *t = &head;
    while (a && b) {
        if (b->key < a->key) { t->next = b; b = b->next; }
        else { t->next = a; a = a->next; }
        t = t->next;
    }
    t->next = a ? a : b;
    return head.next;
}

NOINLINE static struct node *list_sort(struct node *h) {
    if (!h || !h->next) return h;
    struct node *slow = h, *fast = h->next;
    while (fast && fast->next) { slow = slow->next; fast = fast->next->next; }
    struct node *b = slow->next;
    slow->next = 0;
    return list_merge(list_sort(h), list_sort(b));
}

/* ---------------- AVL tree ---------------- */
struct avl { struct avl *l, *r; uint64_t key; int h; uint32_t count; };

static int ht(struct avl *t) { return t ? t->h : 0; }
static void upd(struct avl *t) { int a = ht(t->l), b = ht(t->r); t->h = (a > b ? a : b) + 1; }
static struct avl *rot_r(struct avl *t) { struct avl *l = t->l; t->l = l->r; l->r = t; upd(t); upd(l); return l; }
static struct avl *rot_l(struct avl *t) { struct avl *r = t->r; t->r = r->l; r->l = t; upd(t); upd(r); return r; }
static struct avl *balance(struct avl *t) {
    upd(t);
    int bf = ht(t->l) - ht(t->r);
    if (bf > 1) {
        if (ht(t->l->l) < ht(t->l->r)) t->l = rot_l(t->l);
        return rot_r(t);
    }
    if (bf < -1) {
        if (ht(t->r->r) < ht(t->r->l)) t->r = rot_r(t->r);
        return rot_l(t);
    }
    return t;
}

static struct avl *avl_free_list;

NOINLINE static struct avl *avl_insert(struct avl *t, uint64_t key) {
    if (!t) {
        struct avl *n = avl_free_list;
        if (n) avl_free_list = n->l; else n = bump(sizeof *n);
        n->l = n->r = 0; n->key = key; n->h = 1; n->count = 1;
        return n;
    }
    if (key < t->key) t->l = avl_insert(t->l, key);
    else if (key > t->key) t->r = avl_insert(t->r, key);
    else { t->count++; return t; }
    return balance(t);
}

static struct avl *avl_remove_min(struct avl *t, struct avl **min) {
    if (!t->l) { *min = t; return t->r; }
    t->l = avl_remove_min(t->l, min);
    return balance(t);
}

NOINLINE static struct avl *avl_delete(struct avl *t, uint64_t key, int *found) {
    if (!t) return 0;
    if (key < t->key) t->l = avl_delete(t->l, key, found);
    else if (key > t->key) t->r = avl_delete(t->r, key, found);
    else {
        *found = 1;
        struct avl *l = t->l, *r = t->r;
        t->l = avl_free_list; avl_free_list = t;
        if (!r) return l;
        struct avl *m;
        r = avl_remove_min(r, &m);
        m->l = l; m->r = r;
        return balance(m);
    }
    return balance(t);
}

/* returns height, or -1 if an invariant is broken; counts nodes, hashes keys in order */
static int avl_verify(struct avl *t, uint64_t lo, uint64_t hi, uint64_t *n, uint64_t *h) {
    if (!t) return 0;
    if (t->key < lo || t->key > hi) return -1;
    int a = avl_verify(t->l, lo, t->key ? t->key - 1 : 0, n, h);
    *n += 1;
    *h = mix64(*h, t->key * 31 + t->count);
    int b = avl_verify(t->r, t->key + 1, hi, n, h);
    if (a < 0 || b < 0 || a - b > 1 || b - a > 1) return -1;
    int hh = (a > b ? a : b) + 1;
    return hh == t->h ? hh : -1;
}

/* ---------------- unbalanced BST (iterative) ---------------- */
struct bst { struct bst *c[2]; uint64_t key; };

NOINLINE static struct bst *bst_insert(struct bst *root, uint64_t key, int *depth) {
    struct bst *n = bump(sizeof *n);
    n->c[0] = n->c[1] = 0; n->key = key;
    if (!root) { *depth = 0; return n; }
    struct bst *t = root;
    int d = 1;
    for (;;) {
        int dir = key > t->key;
        if (!t->c[dir]) { t->c[dir] = n; break; }
        t = t->c[dir];
        d++;
    }
    *depth = d;
    return root;
}

/* ---------------- chained hash table ---------------- */
struct entry { struct entry *next; uint64_t key; uint64_t val; };
#define NBUCKET 1024
static struct entry *buckets[NBUCKET];

static uint32_t hkey(uint64_t k) { return (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> 54); }

static void ht_put(uint64_t k, uint64_t v) {
    struct entry **b = &buckets[hkey(k)];
    for (struct entry *e = *b; e; e = e->next)
        if (e->key == k) { e->val += v; return; }
    struct entry *e = bump(sizeof *e);
    e->key = k; e->val = v; e->next = *b; *b = e;
}
static struct entry *ht_get(uint64_t k) {
    for (struct entry *e = buckets[hkey(k)]; e; e = e->next)
        if (e->key == k) return e;
    return 0;
}
static int ht_del(uint64_t k) {
    for (struct entry **p = &buckets[hkey(k)]; *p; p = &(*p)->next)
        if ((*p)->key == k) { *p = (*p)->next; return 1; }
    return 0;
}

static uint64_t h_list, h_avl, h_ht, total_depth, max_depth, avl_height_sum;

static void round_(uint64_t n, uint64_t r) {
    arena_reset();
    avl_free_list = 0;
    memset(buckets, 0, sizeof buckets);
    uint64_t seed = 0xa110c + r * 7919;

    /* list */
    struct node *L = 0;
    uint64_t ksum = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t k = rng_next(&seed) % (n * 4);
        L = list_push(L, k, (uint32_t)i);
        ksum += k;
    }
    L = list_reverse(L);
    check(L && L->tag == 0, "reverse head");
    L = list_sort(L);
    uint64_t cnt = 0, s2 = 0;
    for (struct node *p = L; p; p = p->next) {
        if (p->next) {
            check(p->key <= p->next->key, "list sorted");
            if (p->key == p->next->key) check(p->tag < p->next->tag, "list sort stable");
        }
        cnt++; s2 += p->key;
        h_list = mix64(h_list, p->key ^ ((uint64_t)p->tag << 40));
    }
    check(cnt == n && s2 == ksum, "list contents");

    /* AVL: insert all, delete every third key inserted, verify */
    struct avl *T = 0;
    seed = 0xb00b + r;
    for (uint64_t i = 0; i < n; i++) T = avl_insert(T, rng_next(&seed) % (n * 2));
    seed = 0xb00b + r;
    uint64_t deleted = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t k = rng_next(&seed) % (n * 2);
        if (i % 3 == 0) { int f = 0; T = avl_delete(T, k, &f); deleted += (uint64_t)f; }
    }
    for (uint64_t i = 0; i < n / 2; i++) T = avl_insert(T, i * 3);
    uint64_t nodes = 0, hh = 0;
    int height = avl_verify(T, 0, ~0ull, &nodes, &hh);
    check(height > 0, "avl invariants");
    /* AVL height bound: h < 1.45 log2(n + 2) */
    uint64_t lg = 64 - (uint64_t)__builtin_clzll(nodes + 2);
    check((uint64_t)height * 100 <= 145 * lg + 100, "avl height bound");
    h_avl = mix64(h_avl, hh ^ (nodes << 32) ^ deleted);
    avl_height_sum += (uint64_t)height;

    /* BST */
    struct bst *B = 0;
    seed = 0xc0ffee + r;
    for (uint64_t i = 0; i < n; i++) {
        int d;
        B = bst_insert(B, rng_next(&seed), &d);
        total_depth += (uint64_t)d;
        if ((uint64_t)d > max_depth) max_depth = (uint64_t)d;
    }

    /* hash table */
    seed = 0xdead + r;
    for (uint64_t i = 0; i < n; i++) ht_put(rng_next(&seed) % (n / 2 + 1), i);
    uint64_t found = 0, dels = 0;
    for (uint64_t k = 0; k <= n / 2; k++) {
        struct entry *e = ht_get(k);
        if (e) { found++; h_ht = mix64(h_ht, k ^ (e->val << 20)); }
        if ((k & 1) && ht_del(k)) dels++;
    }
    for (uint64_t k = 1; k <= n / 2; k += 2) check(ht_get(k) == 0, "deleted");
    h_ht = mix64(h_ht, found ^ (dels << 32));
}

int main(int argc, char **argv) {
    uint64_t total = arg_u64(argc, argv, 1, 4000);
    print_kv_u64("alloc n", total);
    uint64_t rounds = 0;
    for (uint64_t done = 0; done < total; rounds++) {
        uint64_t n = total - done < 20000 ? total - done : 20000;
        if (n < 4) n = 4;
        round_(n, rounds);
        done += n;
    }
    print_kv_hex("list_hash", h_list, 16);
    print_kv_hex("avl_hash", h_avl, 16);
    print_kv_hex("hashtable_hash", h_ht, 16);
    print_kv_u64("avl_height_sum", avl_height_sum);
    print_kv_u64("bst_total_depth", total_depth);
    print_kv_u64("bst_max_depth", max_depth);
    print_kv_u64("arena_peak", arena_peak);
    return check_done();
}
