/*
 * maturity_radar.c — SVG radar (spider) chart of axis scores on a 0-100
 * scale, with an optional second series (the peers' median) and a third
 * (an earlier year, dotted) overlaid.
 * Plain SVG 1.1 text, no script, no external resource: it can be pasted in
 * a report or opened in a browser.
 */
#include "sr_maturity.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W 720
#define H 620
#define CX 360.0
#define CY 330.0
#define R 200.0

/* Append text escaped for XML character data and attribute values. */
static void
sb_escape(sr_strbuf *b, const char *txt, size_t len)
{
	for (size_t i = 0; i < len && txt[i]; i++)
	{
		unsigned char ch = (unsigned char) txt[i];

		switch (ch)
		{
			case '&':
				sr_strbuf_printf(b, "&amp;");
				break;
			case '<':
				sr_strbuf_printf(b, "&lt;");
				break;
			case '>':
				sr_strbuf_printf(b, "&gt;");
				break;
			case '"':
				sr_strbuf_printf(b, "&quot;");
				break;
			case '\'':
				sr_strbuf_printf(b, "&apos;");
				break;
			default:
				/* control characters are not allowed in XML 1.0 */
				if (ch < 0x20 && ch != '\t')
					sr_strbuf_printf(b, " ");
				else
					sr_strbuf_printf(b, "%c", ch);
		}
	}
}

static double
val_or0(double v)
{
	if (!isfinite(v))
		return 0.0;
	return v < 0.0 ? 0.0 : (v > 100.0 ? 100.0 : v);
}

/* A polygon of one series. */
static void
series_polygon(sr_strbuf *b, int n, const double *v, const char *style)
{
	sr_strbuf_printf(b, "<polygon %s points=\"", style);
	for (int a = 0; a < n; a++)
	{
		double		ang = -SR_PI / 2.0 + 2.0 * SR_PI * a / n;
		double		rr = R * val_or0(v[a]) / 100.0;

		sr_strbuf_printf(b, "%s%.1f,%.1f", a ? " " : "", CX + rr * cos(ang), CY + rr * sin(ang));
	}
	sr_strbuf_printf(b, "\"/>\n");
}

/* An axis label, split on two lines at the space nearest the middle when long. */
static void
axis_label(sr_strbuf *b, const char *label, double x, double y, const char *anchor,
		   double value)
{
	size_t		len = strlen(label);
	size_t		cut = 0;

	if (len > 20)
	{
		size_t		best = 0;

		for (size_t i = 1; i < len; i++)
			if (label[i] == ' ' &&
				(best == 0 || labs((long) i - (long) len / 2) < labs((long) best - (long) len / 2)))
				best = i;
		cut = best;
	}
	sr_strbuf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"lbl\">", x, y, anchor);
	if (cut)
	{
		sr_strbuf_printf(b, "<tspan x=\"%.1f\" dy=\"-0.3em\">", x);
		sb_escape(b, label, cut);
		sr_strbuf_printf(b, "</tspan><tspan x=\"%.1f\" dy=\"1.15em\">", x);
		sb_escape(b, label + cut + 1, len - cut - 1);
		sr_strbuf_printf(b, "</tspan>");
	}
	else
		sb_escape(b, label, len);
	/* the value as drawn: clamped to 0-100, n/a where not finite */
	if (!isfinite(value))
		sr_strbuf_printf(b, "<tspan x=\"%.1f\" dy=\"1.15em\" class=\"val\">n/a</tspan>", x);
	else
		sr_strbuf_printf(b, "<tspan x=\"%.1f\" dy=\"1.15em\" class=\"val\">%.0f</tspan>", x, val_or0(value));
	sr_strbuf_printf(b, "</text>\n");
}

sr_status
sr_mat_radar_svg(int n_axes, const char *const *labels,
				 const double *values, const double *peers,
				 const char *title, const char *series_label,
				 const char *peers_label, char **svg, sr_err *err)
{
	return sr_mat_radar_svg_ex(n_axes, labels, values, peers, NULL, title, series_label,
							   peers_label, NULL, svg, err);
}

sr_status
sr_mat_radar_svg_ex(int n_axes, const char *const *labels,
					const double *values, const double *peers,
					const double *previous, const char *title,
					const char *series_label, const char *peers_label,
					const char *previous_label, char **svg, sr_err *err)
{
	sr_strbuf	b;

	*svg = NULL;
	if (n_axes < 3 || n_axes > 64)
		return sr_error(err, SR_EINVAL, "a radar chart needs between 3 and 64 axes, got %d", n_axes);
	if (!sr_strbuf_init(&b, 8192))
		return sr_error(err, SR_ENOMEM, "out of memory");

	sr_strbuf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
			  "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n", W, H, W, H);
	sr_strbuf_printf(&b, "<title>");
	sb_escape(&b, title ? title : "Digital maturity", (size_t) -1);
	sr_strbuf_printf(&b, "</title>\n<style>"
			  "text{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;fill:#222}"
			  ".lbl{font-size:13px}.val{font-size:11px;fill:#555}"
			  ".tick{font-size:10px;fill:#888}.ttl{font-size:17px;font-weight:bold}"
			  ".leg{font-size:12px}"
			  "</style>\n");
	sr_strbuf_printf(&b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", W, H);
	sr_strbuf_printf(&b, "<text x=\"%.1f\" y=\"28\" text-anchor=\"middle\" class=\"ttl\">", CX);
	sb_escape(&b, title ? title : "Digital maturity", (size_t) -1);
	sr_strbuf_printf(&b, "</text>\n");

	/* grid: rings every 20 points and spokes */
	for (int k = 1; k <= 5; k++)
	{
		sr_strbuf_printf(&b, "<polygon fill=\"none\" stroke=\"#d0d0d0\" stroke-width=\"1\" points=\"");
		for (int a = 0; a < n_axes; a++)
		{
			double		ang = -SR_PI / 2.0 + 2.0 * SR_PI * a / n_axes;

			sr_strbuf_printf(&b, "%s%.1f,%.1f", a ? " " : "",
					  CX + R * k / 5.0 * cos(ang), CY + R * k / 5.0 * sin(ang));
		}
		sr_strbuf_printf(&b, "\"/>\n<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">%d</text>\n",
				  CX + 3.0, CY - R * k / 5.0 + 11.0, k * 20);
	}
	for (int a = 0; a < n_axes; a++)
	{
		double		ang = -SR_PI / 2.0 + 2.0 * SR_PI * a / n_axes;

		sr_strbuf_printf(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#d0d0d0\"/>\n",
				  CX, CY, CX + R * cos(ang), CY + R * sin(ang));
	}

	/* peers first, territory on top */
	if (peers)
		series_polygon(&b, n_axes, peers,
					   "fill=\"#f28e2b\" fill-opacity=\"0.12\" stroke=\"#f28e2b\" "
					   "stroke-width=\"2\" stroke-dasharray=\"6 4\"");
	/* an earlier year, dotted, under the current polygon */
	if (previous)
		series_polygon(&b, n_axes, previous,
					   "fill=\"none\" stroke=\"#59a14f\" stroke-width=\"2\" stroke-dasharray=\"2 3\"");
	series_polygon(&b, n_axes, values,
				   "fill=\"#4e79a7\" fill-opacity=\"0.30\" stroke=\"#4e79a7\" stroke-width=\"2.5\"");
	for (int a = 0; a < n_axes; a++)
	{
		double		ang = -SR_PI / 2.0 + 2.0 * SR_PI * a / n_axes;
		double		rr = R * val_or0(values[a]) / 100.0;

		sr_strbuf_printf(&b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#4e79a7\"/>\n",
				  CX + rr * cos(ang), CY + rr * sin(ang));
	}

	/* labels outside the outer ring, anchored away from the centre */
	for (int a = 0; a < n_axes; a++)
	{
		double		ang = -SR_PI / 2.0 + 2.0 * SR_PI * a / n_axes;
		double		ca = cos(ang),
					sa = sin(ang);
		const char *anchor = fabs(ca) < 0.2 ? "middle" : (ca > 0 ? "start" : "end");
		double		x = CX + (R + 16.0) * ca;
		double		y = CY + (R + 16.0) * sa + (sa > 0.3 ? 12.0 : (sa < -0.3 ? -8.0 : 0.0));

		axis_label(&b, (labels && labels[a]) ? labels[a] : "", x, y, anchor, values[a]);
	}

	/* legend */
	sr_strbuf_printf(&b, "<rect x=\"24\" y=\"%d\" width=\"14\" height=\"14\" fill=\"#4e79a7\" fill-opacity=\"0.6\"/>"
			  "<text x=\"44\" y=\"%d\" class=\"leg\">", H - 46, H - 34);
	sb_escape(&b, series_label ? series_label : "territory", (size_t) -1);
	sr_strbuf_printf(&b, "</text>\n");
	if (peers)
	{
		sr_strbuf_printf(&b, "<line x1=\"24\" y1=\"%d\" x2=\"38\" y2=\"%d\" stroke=\"#f28e2b\" stroke-width=\"2\" stroke-dasharray=\"4 2\"/>"
				  "<text x=\"44\" y=\"%d\" class=\"leg\">", H - 15, H - 15, H - 11);
		sb_escape(&b, peers_label ? peers_label : "peers' median", (size_t) -1);
		sr_strbuf_printf(&b, "</text>\n");
	}
	if (previous)
	{
		sr_strbuf_printf(&b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#59a14f\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>"
				  "<text x=\"%d\" y=\"%d\" class=\"leg\">", W / 2, H - 15, W / 2 + 14, H - 15, W / 2 + 20, H - 11);
		sb_escape(&b, previous_label ? previous_label : "previous year", (size_t) -1);
		sr_strbuf_printf(&b, "</text>\n");
	}
	sr_strbuf_printf(&b, "</svg>\n");
	if (b.oom)
	{
		sr_free(b.s);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	*svg = b.s;
	return SR_OK;
}
