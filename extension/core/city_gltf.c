/*
 * city_gltf.c — the GLB writer (binary glTF 2.0, sr_city3d.h).
 *
 * One mesh with one triangle primitive: POSITION and NORMAL (float32,
 * local frame, Y up), COLOR_0 (normalised unsigned bytes), _FEATURE_ID_0
 * (float32: the index of the vertex's feature in the property table, as
 * EXT_mesh_features allows) and indices (unsigned short when the vertices
 * fit, else unsigned int).  The feature table is an EXT_structural_metadata
 * property table of class "feature": feature_id (INT64), the value
 * (FLOAT64) and one column per member of the properties (FLOAT64, BOOLEAN
 * or STRING).  Layout rules of the glTF 2.0 specification (section 4.4):
 * vertex attribute offsets multiples of 4, accessor min/max of POSITION
 * exactly the float32 extremes; of EXT_structural_metadata: buffer views
 * of property tables aligned to 8 bytes.
 */
#include "sr_city3d.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GLB_MAGIC 0x46546C67u	/* "glTF" */
#define CHUNK_JSON 0x4E4F534Au
#define CHUNK_BIN 0x004E4942u
#define GL_FLOAT 5126
#define GL_UNSIGNED_BYTE 5121
#define GL_UNSIGNED_SHORT 5123
#define GL_UNSIGNED_INT 5125
#define GL_ARRAY_BUFFER 34962
#define GL_ELEMENT_ARRAY_BUFFER 34963

/* "no data" of FLOAT64 property columns: the lowest double */
#define NODATA_F64 "-1.7976931348623157e+308"
#define NODATA_F64_V (-1.7976931348623157e+308)

static size_t
align(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

/* A JSON string literal. */
static void
json_str(sr_strbuf *b, const char *s)
{
	sr_strbuf_printf(b, "\"");
	for (const unsigned char *p = (const unsigned char *) s; *p; p++)
	{
		if (*p == '"' || *p == '\\')
			sr_strbuf_printf(b, "\\%c", *p);
		else if (*p < 0x20)
			sr_strbuf_printf(b, "\\u%04x", *p);
		else
			sr_strbuf_printf(b, "%c", *p);
	}
	sr_strbuf_printf(b, "\"");
}

/* A double that JSON reads back exactly. */
static void
json_num(sr_strbuf *b, double v)
{
	char		buf[40];

	for (int prec = 15; prec <= 17; prec++)
	{
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sr_strbuf_printf(b, "%s", buf);
}

size_t
sr_city_feature_bytes(const sr_city_model *m, int f)
{
	size_t		v = m->fvert[f + 1] - m->fvert[f],
				t = m->ftri[f + 1] - m->ftri[f],
				s = 16 + 8 * (size_t) m->npcols;

	for (int c = 0; c < m->npcols; c++)
		if (m->pcols[c].kind == SR_PK_STRING && m->pcols[c].str[f])
			s += strlen(m->pcols[c].str[f]);
	return v * 32 + t * 12 + s;
}

char *
sr_city_extras_json(const sr_city_model *m, const sr_city_lframe *fr, const char *frame_name)
{
	sr_strbuf	b;
	const char *const *stops = sr_city_ramp_stops(m->opts.ramp);
	static const char *const ramp_names[] = {"solar", "viridis", "greys", "diverging", "red_green"};

	if (!sr_strbuf_init(&b, 512))
		return NULL;
	sr_strbuf_printf(&b, "{\"smartregion\":{\"srid\":%d,\"frame\":", (int) m->srid);
	json_str(&b, frame_name);
	if (fr)
	{
		sr_strbuf_printf(&b, ",\"origin\":[");
		for (int k = 0; k < 3; k++)
		{
			if (k)
				sr_strbuf_printf(&b, ",");
			json_num(&b, fr->origin[k]);
		}
		sr_strbuf_printf(&b, "]");
		if (m->ecef)
		{
			/* column-major ENU -> ECEF, as a 3D Tiles tile.transform */
			sr_strbuf_printf(&b, ",\"enu_to_ecef\":[");
			for (int c = 0; c < 4; c++)
				for (int r = 0; r < 4; r++)
				{
					double		v = c < 3 ? (r < 3 ? fr->R[3 * c + r] : 0) : (r < 3 ? fr->origin[r] : 1);

					sr_strbuf_printf(&b, "%s", c + r ? "," : "");
					json_num(&b, v);
				}
			sr_strbuf_printf(&b, "]");
		}
	}
	sr_strbuf_printf(&b, ",\"height_offset\":");
	json_num(&b, m->opts.height_offset);
	sr_strbuf_printf(&b, ",\"value_name\":");
	json_str(&b, m->opts.value_name);
	if (m->has_value)
	{
		sr_strbuf_printf(&b, ",\"value_range\":[");
		json_num(&b, m->vmin);
		sr_strbuf_printf(&b, ",");
		json_num(&b, m->vmax);
		sr_strbuf_printf(&b, "]");
	}
	sr_strbuf_printf(&b, ",\"ramp\":\"%s\",\"ramp_stops\":[", ramp_names[m->opts.ramp]);
	for (int k = 0; stops[k]; k++)
		sr_strbuf_printf(&b, "%s\"%s\"", k ? "," : "", stops[k]);
	sr_strbuf_printf(&b, "],\"color\":");
	json_str(&b, m->opts.color);
	sr_strbuf_printf(&b, ",\"wall_color\":");
	json_str(&b, m->opts.wall_color);
	sr_strbuf_printf(&b, ",\"features\":%d,\"skipped_features\":%lld,\"walls\":%lld,\"skipped_faces\":%lld,"
					 "\"skipped_walls\":%lld,\"empty_geometries\":%lld}}",
					 m->nfeat, (long long) m->skipped_features, (long long) m->walls,
					 (long long) m->skipped_faces, (long long) m->skipped_walls,
					 (long long) m->empty_geometries);
	if (b.oom)
	{
		sr_free(b.s);
		return NULL;
	}
	return b.s;
}

/* One bufferView of the BIN chunk. */
typedef struct bview
{
	size_t		offset,
				length;
	int			target;			/* 0: none */
} bview;

static void
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) (v >> 16);
	p[3] = (uint8_t) (v >> 24);
}

sr_status
sr_city_write_glb(const sr_city_model *m, const int *feat, int n,
				  const sr_city_lframe *fr, const char *extras_json,
				  size_t headroom, uint8_t **out, size_t *len,
				  double box[6], sr_err *err)
{
	size_t		V = 0,
				T = 0,
				off = 0,
				bin_len,
				json_len,
				total;
	int			nf = n < 0 ? m->nfeat : n;
	bool		meta = m->opts.metadata && nf > 0;
	bool		small;
	int			idx_type;
	bview		views[8 + 2 * 1000 + 4];
	int			nviews = 0,
				v_pos,
				v_nrm,
				v_col,
				v_fid = -1,
				v_idx;
	int			pc_values[1002],
				pc_offsets[1002];
	float		fmin_[3] = {INFINITY, INFINITY, INFINITY},
				fmax_[3] = {-INFINITY, -INFINITY, -INFINITY};
	bool		blend = false;
	sr_strbuf	js;
	uint8_t    *buf,
			   *bin;
	int			ncols;
	size_t		vbase;

#define FEAT(i) (n < 0 ? (i) : feat[i])
	for (int i = 0; i < nf; i++)
	{
		int			f = FEAT(i);

		V += m->fvert[f + 1] - m->fvert[f];
		T += m->ftri[f + 1] - m->ftri[f];
	}
	if (V > UINT32_MAX - 1)
		return sr_error(err, SR_ERANGE, "a GLB cannot hold %zu vertices", V);
	small = V <= 65535;
	idx_type = small ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;

	/* the BIN chunk's layout */
#define VIEW(len_, tgt_, al_) (off = align(off, (al_)), views[nviews].offset = off, \
	views[nviews].length = (len_), views[nviews].target = (tgt_), off += (len_), nviews++)
	v_pos = nviews;
	VIEW(V * 12, GL_ARRAY_BUFFER, 4);
	v_nrm = nviews;
	VIEW(V * 12, GL_ARRAY_BUFFER, 4);
	v_col = nviews;
	VIEW(V * 4, GL_ARRAY_BUFFER, 4);
	if (meta)
	{
		v_fid = nviews;
		VIEW(V * 4, GL_ARRAY_BUFFER, 4);
	}
	v_idx = nviews;
	VIEW(T * 3 * (small ? 2 : 4), GL_ELEMENT_ARRAY_BUFFER, 4);
	/* property table: feature_id, value, the members */
	ncols = meta ? 1 + (m->has_value ? 1 : 0) + m->npcols : 0;
	for (int c = 0; c < ncols; c++)
	{
		int			pc = c - 1 - (m->has_value ? 1 : 0);
		size_t		bytes;

		pc_offsets[c] = -1;
		if (c == 0 || (c == 1 && m->has_value) || m->pcols[pc].kind == SR_PK_NUMBER)
			bytes = 8 * (size_t) nf;
		else if (m->pcols[pc].kind == SR_PK_BOOL)
			bytes = ((size_t) nf + 7) / 8;
		else
		{
			bytes = 0;
			for (int i = 0; i < nf; i++)
				if (m->pcols[pc].str[FEAT(i)])
					bytes += strlen(m->pcols[pc].str[FEAT(i)]);
			if (bytes > UINT32_MAX)
				return sr_error(err, SR_ERANGE, "the text of property \"%s\" is over 4 GB",
								m->pcols[pc].key);
		}
		pc_values[c] = nviews;
		VIEW(bytes, 0, 8);
		if (c > 0 && !(c == 1 && m->has_value) && m->pcols[pc].kind == SR_PK_STRING)
		{
			pc_offsets[c] = nviews;
			VIEW(4 * ((size_t) nf + 1), 0, 8);
		}
	}
	bin_len = align(off, 4);

	/* the JSON chunk */
	if (!sr_strbuf_init(&js, 4096 + 256 * (size_t) ncols))
		return sr_error(err, SR_ENOMEM, "out of memory");
	sr_strbuf_printf(&js, "{\"asset\":{\"version\":\"2.0\",\"generator\":\"smartregion " SR_CITY_GENERATOR "\"");
	if (extras_json)
		sr_strbuf_printf(&js, ",\"extras\":%s", extras_json);
	sr_strbuf_printf(&js, "}");
	if (V == 0 || T == 0)
	{
		/* nothing to draw: an empty scene (without "nodes": the schema
		 * wants at least one in it, and the Khronos validator says
		 * EMPTY_ENTITY of "nodes":[]) */
		sr_strbuf_printf(&js, ",\"scene\":0,\"scenes\":[{}]}");
		bin_len = 0;
	}
	if (js.oom)
	{
		sr_free(js.s);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}

	/* the BIN chunk, then the rest of the JSON */
	bin = NULL;
	if (bin_len > 0)
	{
		bin = sr_alloc0(bin_len);
		if (!bin)
		{
			sr_free(js.s);
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
		vbase = 0;
		for (int i = 0; i < nf; i++)
		{
			int			f = FEAT(i);
			float		fid = (float) i;

			for (size_t v = m->fvert[f]; v < m->fvert[f + 1]; v++, vbase++)
			{
				const double *w = m->pos + 3 * v;
				double		d[3] = {w[0] - fr->origin[0], w[1] - fr->origin[1], w[2] - fr->origin[2]},
							l[3],
							nl[3],
							nn;
				float		p[3],
							q[3];
				const float *nw = m->nrm + 3 * v;

				for (int r = 0; r < 3; r++)
				{
					l[r] = fr->R[3 * r] * d[0] + fr->R[3 * r + 1] * d[1] + fr->R[3 * r + 2] * d[2];
					nl[r] = fr->R[3 * r] * nw[0] + fr->R[3 * r + 1] * nw[1] + fr->R[3 * r + 2] * nw[2];
				}
				/* float32 positions: a coordinate past FLT_MAX relative to
				 * the origin (or not finite) would be written as inf */
				for (int r = 0; r < 3; r++)
					if (!(fabs(l[r]) <= FLT_MAX))
					{
						sr_free(bin);
						sr_free(js.s);
						sr_error(err, SR_ERANGE,
								 "a coordinate of surface %lld is outside float32's range relative to the origin",
								 (long long) m->fid[f]);
						sr_error_detail(err, "glTF positions are 32-bit floats (at most %g in absolute value); the vertex is at %g relative to the origin.",
										(double) FLT_MAX, l[r]);
						sr_error_hint(err, "Check the surface's coordinates and SRID.");
						return err->status;
					}
				/* Y up: (x, z, -y) */
				p[0] = (float) l[0];
				p[1] = (float) l[2];
				p[2] = (float) -l[1];
				nn = sqrt(nl[0] * nl[0] + nl[1] * nl[1] + nl[2] * nl[2]);
				if (!(nn > 0))
					nn = 1;
				q[0] = (float) (nl[0] / nn);
				q[1] = (float) (nl[2] / nn);
				q[2] = (float) (-nl[1] / nn);
				for (int k = 0; k < 3; k++)
				{
					fmin_[k] = fminf(fmin_[k], p[k]);
					fmax_[k] = fmaxf(fmax_[k], p[k]);
				}
				memcpy(bin + views[v_pos].offset + 12 * vbase, p, 12);
				memcpy(bin + views[v_nrm].offset + 12 * vbase, q, 12);
				memcpy(bin + views[v_col].offset + 4 * vbase, m->rgba + 4 * v, 4);
				if (m->rgba[4 * v + 3] < 255)
					blend = true;
				if (meta)
					memcpy(bin + views[v_fid].offset + 4 * vbase, &fid, 4);
			}
		}
		{
			size_t		t0 = 0,
						v0 = 0;

			for (int i = 0; i < nf; i++)
			{
				int			f = FEAT(i);

				for (size_t t = m->ftri[f]; t < m->ftri[f + 1]; t++, t0++)
					for (int k = 0; k < 3; k++)
					{
						uint32_t	ix = (uint32_t) (v0 + m->tri[3 * t + k]);

						if (small)
						{
							uint16_t	s = (uint16_t) ix;

							memcpy(bin + views[v_idx].offset + 2 * (3 * t0 + k), &s, 2);
						}
						else
							memcpy(bin + views[v_idx].offset + 4 * (3 * t0 + k), &ix, 4);
					}
				v0 += m->fvert[f + 1] - m->fvert[f];
			}
		}
		/* the property table */
		for (int c = 0; c < ncols; c++)
		{
			int			pc = c - 1 - (m->has_value ? 1 : 0);
			uint8_t    *dst = bin + views[pc_values[c]].offset;

			if (c == 0)
				for (int i = 0; i < nf; i++)
					memcpy(dst + 8 * i, &m->fid[FEAT(i)], 8);
			else if (c == 1 && m->has_value)
				for (int i = 0; i < nf; i++)
				{
					double		v = m->value[FEAT(i)];

					if (isnan(v))
						v = NODATA_F64_V;
					memcpy(dst + 8 * i, &v, 8);
				}
			else if (m->pcols[pc].kind == SR_PK_NUMBER)
				for (int i = 0; i < nf; i++)
				{
					double		v = m->pcols[pc].present[FEAT(i)] ? m->pcols[pc].num[FEAT(i)] : NODATA_F64_V;

					memcpy(dst + 8 * i, &v, 8);
				}
			else if (m->pcols[pc].kind == SR_PK_BOOL)
				for (int i = 0; i < nf; i++)
				{
					if (m->pcols[pc].b[FEAT(i)])
						dst[i / 8] |= (uint8_t) (1u << (i % 8));
				}
			else
			{
				uint8_t    *offs = bin + views[pc_offsets[c]].offset;
				uint32_t	o = 0;

				for (int i = 0; i < nf; i++)
				{
					const char *s = m->pcols[pc].str[FEAT(i)];
					size_t		l = s ? strlen(s) : 0;

					put_u32(offs + 4 * i, o);
					memcpy(dst + o, s ? s : "", l);
					o += (uint32_t) l;
				}
				put_u32(offs + 4 * nf, o);
			}
		}

		/* JSON: buffers, views, accessors, mesh, material, metadata */
		sr_strbuf_printf(&js, ",\"scene\":0,\"scenes\":[{\"nodes\":[0]}],\"nodes\":[{\"mesh\":0}]");
		if (meta)
			sr_strbuf_printf(&js, ",\"extensionsUsed\":[\"EXT_mesh_features\",\"EXT_structural_metadata\"]");
		sr_strbuf_printf(&js, ",\"buffers\":[{\"byteLength\":%zu}],\"bufferViews\":[", bin_len);
		for (int k = 0; k < nviews; k++)
		{
			sr_strbuf_printf(&js, "%s{\"buffer\":0,\"byteOffset\":%zu,\"byteLength\":%zu",
							 k ? "," : "", views[k].offset, views[k].length);
			if (views[k].target)
				sr_strbuf_printf(&js, ",\"target\":%d", views[k].target);
			sr_strbuf_printf(&js, "}");
		}
		sr_strbuf_printf(&js, "],\"accessors\":[");
		sr_strbuf_printf(&js, "{\"bufferView\":%d,\"componentType\":%d,\"count\":%zu,\"type\":\"VEC3\",\"min\":[",
						 v_pos, GL_FLOAT, V);
		for (int k = 0; k < 3; k++)
		{
			sr_strbuf_printf(&js, "%s", k ? "," : "");
			json_num(&js, (double) fmin_[k]);
		}
		sr_strbuf_printf(&js, "],\"max\":[");
		for (int k = 0; k < 3; k++)
		{
			sr_strbuf_printf(&js, "%s", k ? "," : "");
			json_num(&js, (double) fmax_[k]);
		}
		sr_strbuf_printf(&js, "]}");
		sr_strbuf_printf(&js, ",{\"bufferView\":%d,\"componentType\":%d,\"count\":%zu,\"type\":\"VEC3\"}",
						 v_nrm, GL_FLOAT, V);
		sr_strbuf_printf(&js, ",{\"bufferView\":%d,\"componentType\":%d,\"normalized\":true,\"count\":%zu,\"type\":\"VEC4\"}",
						 v_col, GL_UNSIGNED_BYTE, V);
		sr_strbuf_printf(&js, ",{\"bufferView\":%d,\"componentType\":%d,\"count\":%zu,\"type\":\"SCALAR\"}",
						 v_idx, idx_type, 3 * T);
		if (meta)
			sr_strbuf_printf(&js, ",{\"bufferView\":%d,\"componentType\":%d,\"count\":%zu,\"type\":\"SCALAR\"}",
							 v_fid, GL_FLOAT, V);
		sr_strbuf_printf(&js, "],\"materials\":[{\"pbrMetallicRoughness\":{\"baseColorFactor\":[1,1,1,1],"
						 "\"metallicFactor\":0,\"roughnessFactor\":1},\"doubleSided\":true%s}]",
						 blend ? ",\"alphaMode\":\"BLEND\"" : "");
		sr_strbuf_printf(&js, ",\"meshes\":[{\"primitives\":[{\"attributes\":{\"POSITION\":0,\"NORMAL\":1,\"COLOR_0\":2%s},"
						 "\"indices\":3,\"material\":0,\"mode\":4",
						 meta ? ",\"_FEATURE_ID_0\":4" : "");
		if (meta)
			sr_strbuf_printf(&js, ",\"extensions\":{\"EXT_mesh_features\":{\"featureIds\":[{\"featureCount\":%d,"
							 "\"attribute\":0,\"propertyTable\":0}]}}", nf);
		sr_strbuf_printf(&js, "}]}]");
		if (meta)
		{
			/* the schema, then the table */
			sr_strbuf_printf(&js, ",\"extensions\":{\"EXT_structural_metadata\":{\"schema\":{\"id\":\"smartregion_city\","
							 "\"classes\":{\"feature\":{\"properties\":{");
			sr_strbuf_printf(&js, "\"feature_id\":{\"name\":\"feature id\",\"type\":\"SCALAR\",\"componentType\":\"INT64\"}");
			if (m->has_value)
			{
				bool		missing = false;

				for (int i = 0; i < nf && !missing; i++)
					missing = isnan(m->value[FEAT(i)]);
				sr_strbuf_printf(&js, ",");
				json_str(&js, m->opts.value_name);
				sr_strbuf_printf(&js, ":{\"type\":\"SCALAR\",\"componentType\":\"FLOAT64\"%s}",
								 missing ? ",\"noData\":" NODATA_F64 : "");
			}
			for (int pc = 0; pc < m->npcols; pc++)
			{
				const sr_city_pcol *col = &m->pcols[pc];
				bool		missing = false;

				for (int i = 0; i < nf && !missing; i++)
					missing = !col->present[FEAT(i)];
				sr_strbuf_printf(&js, ",\"%s\":{\"name\":", col->ident);
				json_str(&js, col->key);
				if (col->kind == SR_PK_NUMBER)
					sr_strbuf_printf(&js, ",\"type\":\"SCALAR\",\"componentType\":\"FLOAT64\"%s}",
									 missing ? ",\"noData\":" NODATA_F64 : "");
				else if (col->kind == SR_PK_BOOL)
					sr_strbuf_printf(&js, ",\"type\":\"BOOLEAN\"}");
				else
					sr_strbuf_printf(&js, ",\"type\":\"STRING\"%s}", missing ? ",\"noData\":\"\"" : "");
			}
			sr_strbuf_printf(&js, "}}}},\"propertyTables\":[{\"class\":\"feature\",\"count\":%d,\"properties\":{", nf);
			for (int c = 0; c < ncols; c++)
			{
				int			pc = c - 1 - (m->has_value ? 1 : 0);

				if (c == 0)
					sr_strbuf_printf(&js, "\"feature_id\"");
				else if (c == 1 && m->has_value)
				{
					sr_strbuf_printf(&js, ",");
					json_str(&js, m->opts.value_name);
				}
				else
					sr_strbuf_printf(&js, ",\"%s\"", m->pcols[pc].ident);
				sr_strbuf_printf(&js, ":{\"values\":%d", pc_values[c]);
				if (pc_offsets[c] >= 0)
					sr_strbuf_printf(&js, ",\"stringOffsets\":%d,\"stringOffsetType\":\"UINT32\"", pc_offsets[c]);
				sr_strbuf_printf(&js, "}");
			}
			sr_strbuf_printf(&js, "}}]}}");
		}
		sr_strbuf_printf(&js, "}");
		if (js.oom)
		{
			sr_free(js.s);
			sr_free(bin);
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
	}

	/* assemble: header, JSON chunk (space-padded), BIN chunk */
	json_len = align(js.len, 4);
	total = 12 + 8 + json_len + (bin_len ? 8 + bin_len : 0);
	if (total > UINT32_MAX)
	{
		sr_free(js.s);
		sr_free(bin);
		return sr_error(err, SR_ERANGE, "the GLB would be %zu bytes, over the format's 4 GB", total);
	}
	buf = sr_alloc(headroom + total);
	if (!buf)
	{
		sr_free(js.s);
		sr_free(bin);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	{
		uint8_t    *p = buf + headroom;

		put_u32(p, GLB_MAGIC);
		put_u32(p + 4, 2);
		put_u32(p + 8, (uint32_t) total);
		put_u32(p + 12, (uint32_t) json_len);
		put_u32(p + 16, CHUNK_JSON);
		memcpy(p + 20, js.s, js.len);
		memset(p + 20 + js.len, ' ', json_len - js.len);
		if (bin_len)
		{
			put_u32(p + 20 + json_len, (uint32_t) bin_len);
			put_u32(p + 24 + json_len, CHUNK_BIN);
			memcpy(p + 28 + json_len, bin, bin_len);
		}
	}
	if (box)
	{
		/* local z-up extremes: glTF (x, y, z) = (x, z_up, -y) */
		if (V == 0)
			memset(box, 0, 6 * sizeof(double));
		else
		{
			box[0] = fmin_[0];
			box[3] = fmax_[0];
			box[1] = -(double) fmax_[2];
			box[4] = -(double) fmin_[2];
			box[2] = fmin_[1];
			box[5] = fmax_[1];
		}
	}
	sr_free(js.s);
	sr_free(bin);
	*out = buf;
	*len = total;
	return SR_OK;
}
