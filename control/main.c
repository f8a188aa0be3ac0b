/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * main.c - iocwire-control command line.
 *
 *   iocwire-control check [--format F] [--strict] [--name N] FEED...
 *   iocwire-control compile -o SNAPSHOT [--format F] [--strict] FEED...
 *   iocwire-control run -c CONFIG [--socket PATH] [--feed FILE]... [--out FILE]
 *                       [--syslog udp://HOST:PORT|tcp://HOST:PORT]
 *                       [--exit-on-end] [--connect-timeout SECONDS]
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "ctl_socket.h"
#include "daemon.h"

enum { EXIT_BAD_LINES = 1, EXIT_FAILED = 2 };

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: iocwire-control COMMAND ...\n"
		"  check [--format F] [--strict] FEED...        validate feeds and summarise them\n"
		"  compile -o SNAPSHOT [--format F] [--strict] FEED...\n"
		"                                               write a snapshot file for the dataplane\n"
		"  run -c CONFIG [--socket PATH] [--feed FILE]... [--out FILE] [--exit-on-end]\n"
		"      [--syslog udp://HOST:PORT|tcp://HOST:PORT]\n"
		"                                               compile the feeds, hand the snapshot to\n"
		"                                               the dataplane, export its flow records\n"
		"  status [--json] | reload | lookup IOC | add IOC [--family F --threat T\n"
		"         --confidence N --action alert|drop] | remove IOC   [-c CONFIG | --ctl-socket P]\n"
		"                                               ask the running daemon\n"
		"  version\n"
		"Formats: auto (default), threatfox-csv, threatfox-json, threatfox-api, plain, report.\n");
}

/* Options shared by check and compile: a list of feed files with one format and strictness. */
struct feed_args {
	struct control_feed feeds[CONTROL_MAX_FEEDS];
	unsigned nb_feeds;
	const char *output;
};

static int
parse_feed_args(int argc, char **argv, struct feed_args *fa, bool want_output)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'}, {"strict", no_argument, NULL, 's'},
		{"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0},
	};
	enum feed_format format = FEED_FORMAT_AUTO;
	bool strict = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:so:", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = feed_format_from_name(optarg);
			if (format == FEED_FORMAT_AUTO && strcmp(optarg, "auto") != 0) {
				fprintf(stderr, "iocwire-control: unknown format '%s'\n", optarg);
				return -EINVAL;
			}
			break;
		case 's': strict = true; break;
		case 'o': fa->output = optarg; break;
		default: return -EINVAL;
		}
	}
	if (optind == argc || (want_output && fa->output == NULL) || argc - optind > CONTROL_MAX_FEEDS)
		return -EINVAL;
	for (int i = optind; i < argc; i++) {
		struct control_feed *f = &fa->feeds[fa->nb_feeds++];

		memset(f, 0, sizeof(*f));
		snprintf(f->path, sizeof(f->path), "%s", argv[i]);
		f->format = format;
		f->strict = strict;
	}
	return 0;
}

static int
cmd_check(int argc, char **argv)
{
	struct feed_args fa = {0};
	struct compile_result res;
	int rc;

	if (parse_feed_args(argc, argv, &fa, false) < 0) {
		usage(stderr);
		return EXIT_FAILED;
	}
	rc = compile_feeds(fa.feeds, fa.nb_feeds, 1, stdout, &res);
	free(res.blob);
	if (rc < 0)
		return EXIT_FAILED;
	return res.nb_bad ? EXIT_BAD_LINES : EXIT_SUCCESS;
}

static int
write_file(const char *path, const void *data, size_t len)
{
	char tmp[1024];
	FILE *f;

	/* Write aside and rename, so a reader never sees half a snapshot. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (f == NULL)
		return -errno;
	if (fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		int rc = -errno;
		remove(tmp);
		return rc ? rc : -EIO;
	}
	if (rename(tmp, path) != 0)
		return -errno;
	return 0;
}

static int
cmd_compile(int argc, char **argv)
{
	struct feed_args fa = {0};
	struct compile_result res;
	int rc;

	if (parse_feed_args(argc, argv, &fa, true) < 0) {
		usage(stderr);
		return EXIT_FAILED;
	}
	rc = compile_feeds(fa.feeds, fa.nb_feeds, compile_new_generation(), stderr, &res);
	if (rc < 0)
		return EXIT_FAILED;
	rc = write_file(fa.output, res.blob, res.len);
	free(res.blob);
	if (rc < 0) {
		fprintf(stderr, "iocwire-control: %s: %s\n", fa.output, strerror(-rc));
		return EXIT_FAILED;
	}
	fprintf(stderr, "iocwire-control: wrote %s (%zu bytes)\n", fa.output, res.len);
	return EXIT_SUCCESS;
}

static int
add_cli_feed(struct control_config *cfg, const char *path, bool *replaced)
{
	/* Feeds given on the command line replace the configured ones. */
	if (!*replaced) {
		cfg->nb_feeds = 0;
		*replaced = true;
	}
	if (cfg->nb_feeds == CONTROL_MAX_FEEDS)
		return -E2BIG;
	memset(&cfg->feeds[cfg->nb_feeds], 0, sizeof(cfg->feeds[0]));
	snprintf(cfg->feeds[cfg->nb_feeds++].path, sizeof(cfg->feeds[0].path), "%s", path);
	return 0;
}

static int
cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"socket", required_argument, NULL, 'S'},
		{"feed", required_argument, NULL, 'f'},   {"out", required_argument, NULL, 'o'},
		{"exit-on-end", no_argument, NULL, 'e'},  {"connect-timeout", required_argument, NULL, 't'},
		{"syslog", required_argument, NULL, 'y'}, {NULL, 0, NULL, 0},
	};
	static struct control_config cfg;
	struct daemon_opts dopts = {.connect_timeout_ms = 30000};
	const char *config = NULL, *socket_path = NULL, *out = NULL, *syslog_url = NULL;
	const char *feeds[CONTROL_MAX_FEEDS];
	unsigned nb_feeds = 0;
	bool replaced = false;
	char err[1024];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'S': socket_path = optarg; break;
		case 'f':
			if (nb_feeds == CONTROL_MAX_FEEDS)
				return EXIT_FAILED;
			feeds[nb_feeds++] = optarg;
			break;
		case 'o': out = optarg; break;
		case 'e': dopts.exit_on_end = true; break;
		case 't': dopts.connect_timeout_ms = atoi(optarg) * 1000; break;
		case 'y': syslog_url = optarg; break;
		default: usage(stderr); return EXIT_FAILED;
		}
	}
	if (config == NULL || optind != argc) {
		usage(stderr);
		return EXIT_FAILED;
	}
	control_config_defaults(&cfg);
	if (control_config_load(&cfg, config, err, sizeof(err)) < 0) {
		fprintf(stderr, "iocwire-control: %s\n", err);
		return EXIT_FAILED;
	}
	if (socket_path)
		snprintf(cfg.socket_path, sizeof(cfg.socket_path), "%s", socket_path);
	for (unsigned i = 0; i < nb_feeds; i++)
		add_cli_feed(&cfg, feeds[i], &replaced);
	if (out) {
		/* --out replaces the configured outputs with one file ("-" is stdout). */
		cfg.nb_exports = 1;
		cfg.exports[0].type = strcmp(out, "-") == 0 ? EXPORT_STDOUT : EXPORT_FILE;
		snprintf(cfg.exports[0].path, sizeof(cfg.exports[0].path), "%s", out);
	}
	/* --syslog adds a collector to the outputs (after --out replaced them). */
	if (syslog_url && control_config_add_syslog_url(&cfg, syslog_url, err, sizeof(err)) < 0) {
		fprintf(stderr, "iocwire-control: %s\n", err);
		return EXIT_FAILED;
	}
	if (cfg.nb_feeds == 0) {
		fprintf(stderr, "iocwire-control: no feed: list some under control.feeds in %s or give --feed\n",
			config);
		return EXIT_FAILED;
	}
	return daemon_run(&cfg, &dopts);
}

/*
 * Commands for a running daemon: `-c CONFIG` (its control.socket) or
 * `--ctl-socket PATH` name the daemon; everything else is passed through.
 */
static int
cmd_client(int argc, char **argv)
{
	static struct control_config cfg;
	char *pass[CTL_MAX_ARGS];
	const char *path = NULL;
	char err[1024];
	int n = 0;

	control_config_defaults(&cfg);
	for (int i = 0; i < argc; i++) {
		if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
			if (control_config_load(&cfg, argv[++i], err, sizeof(err)) < 0) {
				fprintf(stderr, "iocwire-control: %s\n", err);
				return EXIT_FAILED;
			}
		} else if (strcmp(argv[i], "--ctl-socket") == 0 && i + 1 < argc) {
			path = argv[++i];
		} else if (n < CTL_MAX_ARGS) {
			pass[n++] = argv[i];
		}
	}
	return ctl_socket_call(path ? path : cfg.ctl_socket, n, pass);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_FAILED;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(argv[1], "compile") == 0)
		return cmd_compile(argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "status") == 0 || strcmp(argv[1], "reload") == 0 || strcmp(argv[1], "lookup") == 0 ||
	    strcmp(argv[1], "add") == 0 || strcmp(argv[1], "remove") == 0)
		return cmd_client(argc - 1, argv + 1);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("iocwire-control %s\n", IOCWIRE_VERSION);
		return EXIT_SUCCESS;
	}
	if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	fprintf(stderr, "iocwire-control: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_FAILED;
}
