/*
 * roofarea.c — smartregion.solar_cadastre_cells: the sample cells of every
 * roof face sampled over its area (issue 18, extension/core/cadastre_sample.c),
 * for maps and vector tiles of where on a roof the sun is; and the cells'
 * tile key (_tile_key, _tile_key_ranges and the hub's trigger _cells_tile_key:
 * extension/core/cadastre_tile_key.c).
 */
#include "postgres.h"

#include "sr_pg.h"
#include "sr_cadastre.h"
#include "sr_cadastre_pg.h"
#include "sr_geom.h"
#include "sr_tile_key.h"

#include <math.h>

#include "commands/trigger.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"

/* cells a batch slot's buffer keeps from one batch to the next (~35 kB) */
#define CELLS_KEEP 256

PG_FUNCTION_INFO_V1(sr_fn_solar_cadastre_cells);
/* smartregion.solar_cadastre_cells(buildings_sql, sky, options) */
Datum
sr_fn_solar_cadastre_cells(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_sky_hdr *sky;
	sr_cadastre_opts o;
	sr_cadastre *c;
	sr_err		err;
	bset		bs;
	int			nf, nthreads;
	sr_face_result *rb;
	sr_roof_cell **bc;
	int		   *bn, *bcap;
	MemoryContext work, old, rowcxt;
	Jsonb	   *opts;

	sr_require_arg(fcinfo, 0, "buildings_sql");
	sr_require_arg(fcinfo, 1, "sky");
	sky = (sr_sky_hdr *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	opts = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	/* the cells are the area mode's: it is this function's default */
	sr_options_defaults(&sr_cadastre_optset, &o);
	o.sampling = SR_SAMPLING_AREA;
	sr_options_apply(opts, &sr_cadastre_optset, &o, "options");
	sr_err_clear(&err);
	if (sr_cadastre_opts_check(&o, &err) != SR_OK)
		sr_raise(&err);
	if (o.sampling != SR_SAMPLING_AREA)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("solar_cadastre_cells: option \"sampling\" must be \"area\""),
				 errdetail("A face at one point has no cells.")));
	o.pv_model = SR_CADASTRE_PV_RATIO;	/* the cells carry irradiation only */

	InitMaterializedSRF(fcinfo, 0);
	work = AllocSetContextCreate(CurrentMemoryContext, "solar_cadastre_cells", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "solar_cadastre_cells row", ALLOCSET_DEFAULT_SIZES);
	c = sr_cadastre_setup(fcinfo, "solar_cadastre_cells", sky, &o, opts, work, &bs, &nf);

	/*
	 * Faces in batches, as solar_cadastre's (sr_cadastre_batch), their
	 * samples and cells on the smartregion.max_threads threads
	 * (sr_cadastre_faces_cells); the cells' buffers in the cadastre's
	 * context, kept from batch to batch.
	 */
	nthreads = sr_max_threads();
	old = MemoryContextSwitchTo(work);
	rb = palloc(sizeof(sr_face_result) * CADASTRE_BATCH_FACES);
	bc = palloc0(sizeof(sr_roof_cell *) * CADASTRE_BATCH_FACES);
	bn = palloc0(sizeof(int) * CADASTRE_BATCH_FACES);
	bcap = palloc0(sizeof(int) * CADASTRE_BATCH_FACES);
	MemoryContextSwitchTo(old);
	for (int i = 0, nb = 0, ib = 0; i < nf; i++, ib++)
	{
		sr_face_result r;
		const sr_roof_cell *cells;
		int			n;

		if (ib == nb)
		{
			CHECK_FOR_INTERRUPTS();
			/* a large face's buffer is not kept for the next batches (each
			 * of the batch's slots would otherwise keep the largest face it
			 * ever held: up to 256 of them) */
			for (int k = 0; k < nb; k++)
				if (bcap[k] > CELLS_KEEP)
				{
					pfree(bc[k]);
					bc[k] = NULL;
					bcap[k] = 0;
				}
			nb = sr_cadastre_batch(c, &o, i, nf, nthreads);
			old = MemoryContextSwitchTo(work);
			sr_cadastre_faces_cells(c, i, nb, rb, bc, bn, bcap, nthreads);
			MemoryContextSwitchTo(old);
			ib = 0;
		}
		r = rb[ib];
		cells = bc[ib];
		n = bn[ib];
		old = MemoryContextSwitchTo(rowcxt);
		for (int k = 0; k < n; k++)
		{
			const sr_roof_cell *ce = &cells[k];
			Datum		v[8];
			bool		nulls[8] = {false};
			double		xyz[15];
			int			prs[2] = {0, 1}, rps[2] = {0, 5};
			sr_mpoly	sq;
			uint8_t    *wkb;
			size_t		wlen;

			/* the cell's square in the roof's plane (corners c -+ hu -+ hv) */
			for (int q = 0; q < 5; q++)
			{
				int			a = (q == 1 || q == 2) ? 1 : -1, b = (q >= 2 && q <= 3) ? 1 : -1;

				xyz[3 * q] = ce->cx + a * ce->hu[0] + b * ce->hv[0];
				xyz[3 * q + 1] = ce->cy + a * ce->hu[1] + b * ce->hv[1];
				xyz[3 * q + 2] = ce->cz + a * ce->hu[2] + b * ce->hv[2];
				/* back from the frame of true north to the buildings' */
				sr_north_to_grid(&bs.north, &xyz[3 * q], &xyz[3 * q + 1]);
			}
			memset(&sq, 0, sizeof(sq));
			sq.npolys = 1;
			sq.nrings = 1;
			sq.npts = 5;
			sq.has_z = 1;
			sq.poly_ring_start = prs;
			sq.ring_pt_start = rps;
			sq.xyz = xyz;
			wkb = sr_wkb_write_polygon(&sq, 0, bs.srid < 0 ? 0 : bs.srid, &wlen);
			v[0] = Int64GetDatum(r.building_id);
			v[1] = Int32GetDatum(r.face);
			v[2] = sr_geom_from_core(wkb, wlen);
			v[3] = Float8GetDatum(ce->area_m2);
			v[4] = Float8GetDatum(ce->usable_m2);
			v[5] = Float8GetDatum(ce->annual_kwh_m2);
			v[6] = Float8GetDatum(ce->pv_kwh_m2);
			v[7] = BoolGetDatum(ce->sunny != 0);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	MemoryContextDelete(work);
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(sr_fn_tile_key);
/* smartregion._tile_key(geom_3857_ewkb): a roof cell's tile key from the EWKB
 * of its geometry in Web Mercator, NULL when it has none (sr_tile_key_wkb) */
Datum
sr_fn_tile_key(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	bool		has;
	int64_t		key;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_tile_key_wkb((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &has, &key, &err) != SR_OK)
		sr_raise(&err);
	if (!has)
		PG_RETURN_NULL();
	PG_RETURN_INT64(key);
}

/* the number (1-based) of the column of a trigger's relation named name
 * and typed typid (any type when typid is InvalidOid: the geometry, checked
 * by the bridge), 0 when it has none */
static int
trigger_column(TupleDesc desc, const char *name, Oid typid)
{
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
			return (typid == InvalidOid ? sr_is_geometry(a->atttypid) : a->atttypid == typid) ? i + 1 : 0;
	}
	return 0;
}

PG_FUNCTION_INFO_V1(sr_fn_cells_tile_key);
/*
 * smartregion._cells_tile_key(): the trigger of a hub's solar_roof_cells,
 * BEFORE INSERT and BEFORE UPDATE OF geom, tile_key, FOR EACH ROW: the only
 * writer of tile_key.  The row's key is _tile_key's (sr_tile_key_wkb) of its
 * geom transformed to Web Mercator by PostGIS's ST_Transform, as the SQL
 * expression _tile_key(ST_AsEWKB(ST_Transform(geom, 3857))) computes it;
 * NULL for a NULL geom (the column's NOT NULL then refuses the row).  In C,
 * not PL/pgSQL: the per-row call of a PL/pgSQL trigger and its SQL
 * expression cost about 7 s of the 27.8 s of a refresh of Lyon 1er's
 * 598,425 cells (docs/web.md).
 */
Datum
sr_fn_cells_tile_key(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tup;
	int			geom_col,
				key_col;
	bool		isnull,
				old_null;
	Datum		geom,
				key = (Datum) 0,
				old_key;
	bool		key_null = true;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by trigger manager", "_cells_tile_key")));
	if (!TRIGGER_FIRED_BEFORE(td->tg_event) || !TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired BEFORE INSERT or UPDATE FOR EACH ROW", "_cells_tile_key")));
	desc = RelationGetDescr(td->tg_relation);
	geom_col = trigger_column(desc, "geom", InvalidOid);
	key_col = trigger_column(desc, "tile_key", INT8OID);
	if (geom_col == 0 || key_col == 0)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" cannot be fired on relation \"%s\"", "_cells_tile_key",
						RelationGetRelationName(td->tg_relation)),
				 errdetail("The trigger writes the bigint column \"tile_key\" from the geometry column \"geom\" of a hub's solar_roof_cells.")));
	tup = TRIGGER_FIRED_BY_INSERT(td->tg_event) ? td->tg_trigtuple : td->tg_newtuple;
	geom = heap_getattr(tup, geom_col, desc, &isnull);
	if (!isnull)
	{
		bytea	   *b = sr_geom_to_ewkb(sr_geom_transform(geom, 3857));
		bool		has;
		int64_t		k;
		sr_err		err;

		sr_err_clear(&err);
		if (sr_tile_key_wkb((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &has, &k, &err) != SR_OK)
			sr_raise(&err);
		if (has)
		{
			key = Int64GetDatum(k);
			key_null = false;
		}
	}
	/* the row as it is when it holds its key already (an update that does
	 * not move the cell: no copy), else a copy with the key */
	old_key = heap_getattr(tup, key_col, desc, &old_null);
	if (old_null == key_null && (key_null || DatumGetInt64(old_key) == DatumGetInt64(key)))
		return PointerGetDatum(tup);
	return PointerGetDatum(heap_modify_tuple_by_cols(tup, desc, 1, &key_col, &key, &key_null));
}

PG_FUNCTION_INFO_V1(sr_fn_tile_key_ranges);
/* smartregion._tile_key_ranges(z, x, y, buffer_m): the ranges of keys
 * solar_tile reads for tile z/x/y and its buffer (sr_tile_key_ranges) */
Datum
sr_fn_tile_key_ranges(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64_t		lo[SR_TILE_KEY_MAX_RANGES],
				hi[SR_TILE_KEY_MAX_RANGES];
	sr_err		err;
	int			n;

	sr_err_clear(&err);
	n = sr_tile_key_ranges(PG_GETARG_INT32(0), PG_GETARG_INT32(1), PG_GETARG_INT32(2), PG_GETARG_FLOAT8(3),
						   lo, hi, &err);
	if (n < 0)
		sr_raise(&err);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < n; i++)
	{
		Datum		v[2] = {Int64GetDatum(lo[i]), Int64GetDatum(hi[i])};
		bool		nulls[2] = {false, false};

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}
