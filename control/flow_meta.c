/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract/snapshot.h"
#include "flow_meta.h"

#define SLOTS (FLOW_META_CAPACITY * 2)

int
flow_meta_init(struct flow_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->slots = calloc(SLOTS, sizeof(*m->slots));
	return m->slots ? 0 : -ENOMEM;
}

void
flow_meta_release(struct flow_meta *m)
{
	free(m->slots);
	m->slots = NULL;
}

static struct flow_meta_entry *
find(struct flow_meta *m, uint64_t flow_id, bool for_insert)
{
	for (uint64_t i = snapshot_mix64(flow_id) & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		struct flow_meta_entry *e = &m->slots[i];

		if (e->flow_id == flow_id)
			return e;
		if (e->flow_id == 0)
			return for_insert ? e : NULL;
	}
}

static void
copy_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

void
flow_meta_put(struct flow_meta *m, uint64_t flow_id, const struct cef_event *c)
{
	struct flow_meta_entry *e;

	if (m->slots == NULL || flow_id == 0)
		return;
	if (m->nb >= FLOW_META_CAPACITY) {
		m->nb_full++;
		return;
	}
	e = find(m, flow_id, true);
	if (e->flow_id == 0)
		m->nb++;
	e->flow_id = flow_id;
	e->confidence = c->confidence;
	copy_str(e->malware, sizeof(e->malware), c->malware);
	copy_str(e->threat, sizeof(e->threat), c->threat);
	copy_str(e->feed, sizeof(e->feed), c->feed);
	copy_str(e->reference, sizeof(e->reference), c->reference);
	copy_str(e->tags, sizeof(e->tags), c->tags);
	copy_str(e->ioc, sizeof(e->ioc), c->ioc);
}

/* Remove slot @p e and shift the following cluster back (linear probing). */
static void
erase(struct flow_meta *m, struct flow_meta_entry *e)
{
	uint64_t i = (uint64_t)(e - m->slots), j = i;

	for (;;) {
		j = (j + 1) & (SLOTS - 1);
		if (m->slots[j].flow_id == 0)
			break;
		uint64_t home = snapshot_mix64(m->slots[j].flow_id) & (SLOTS - 1);
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (!stays) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].flow_id = 0;
	m->nb--;
}

bool
flow_meta_take(struct flow_meta *m, uint64_t flow_id, struct cef_event *c, struct flow_meta_entry *copy)
{
	struct flow_meta_entry *e = m->slots ? find(m, flow_id, false) : NULL;

	if (e == NULL)
		return false;
	*copy = *e;
	erase(m, e);
	if (c != NULL) {
		c->confidence = copy->confidence;
		c->malware = copy->malware;
		c->threat = copy->threat;
		c->feed = copy->feed;
		c->reference = copy->reference;
		c->tags = copy->tags;
		if (copy->ioc[0])
			c->ioc = copy->ioc;
	}
	return true;
}
