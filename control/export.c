/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <string.h>

#include "export.h"

int
export_open(struct exporter *ex, const struct control_config *cfg, char *err, size_t errlen)
{
	memset(ex, 0, sizeof(*ex));
	for (unsigned i = 0; i < cfg->nb_exports; i++) {
		const struct control_export *e = &cfg->exports[i];

		if (e->type == EXPORT_STDOUT) {
			ex->out[ex->nb_out++] = stdout;
			continue;
		}
		ex->out[ex->nb_out] = fopen(e->path, "ae");
		if (ex->out[ex->nb_out] == NULL) {
			int rc = -errno;

			snprintf(err, errlen, "export file %s: %s", e->path, strerror(errno));
			export_close(ex);
			return rc;
		}
		ex->owned[ex->nb_out++] = true;
	}
	return 0;
}

void
export_record(struct exporter *ex, const char *line)
{
	for (unsigned i = 0; i < ex->nb_out; i++)
		if (fputs(line, ex->out[i]) == EOF || fputc('\n', ex->out[i]) == EOF)
			ex->nb_write_errors++;
	ex->nb_records++;
}

void
export_flush(struct exporter *ex)
{
	for (unsigned i = 0; i < ex->nb_out; i++)
		if (fflush(ex->out[i]) == EOF)
			ex->nb_write_errors++;
}

void
export_close(struct exporter *ex)
{
	export_flush(ex);
	for (unsigned i = 0; i < ex->nb_out; i++)
		if (ex->owned[i])
			fclose(ex->out[i]);
	ex->nb_out = 0;
}
