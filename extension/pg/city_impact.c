/*
 * city_impact.c — entry point of smartregion.solar_impact (docs/city3d.md):
 * what planned buildings do to their neighbours' sun.  The buildings and
 * the project are read as solar_cadastre reads its buildings; the work is
 * the core's (extension/core/cadastre_impact.c).
 */
#include "sr_pg.h"
#include "sr_cadastre.h"
#include "sr_cadastre_pg.h"

#include <math.h>

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(sr_fn_solar_impact);
/* smartregion.solar_impact(project_sql, buildings_sql, sky, options) */
Datum
sr_fn_solar_impact(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_sky_hdr *sky;
	sr_cadastre_opts o;
	bset		bs,
				ps;
	sr_impact  *im;
	sr_err		err;
	double		lat,
				lon;
	int			considered,
				existing;
	MemoryContext work,
				old,
				rowcxt;

	sr_require_arg(fcinfo, 0, "project_sql");
	sr_require_arg(fcinfo, 1, "buildings_sql");
	sr_require_arg(fcinfo, 2, "sky");
	sky = (sr_sky_hdr *) PG_DETOAST_DATUM(PG_GETARG_DATUM(2));
	sr_options_read(PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3), &sr_impact_optset, &o, "options");
	sr_err_clear(&err);
	if (sr_cadastre_opts_check(&o, &err) != SR_OK)
		sr_raise(&err);
	/* (the hubs its texts read: who controls their code, before any runs) */
	sr_query_hub_guard(fcinfo, "solar_impact", (const int[]) {0, 1}, 2, NULL);

	InitMaterializedSRF(fcinfo, 0);
	work = AllocSetContextCreate(CurrentMemoryContext, "solar_impact", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "solar_impact row", ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(work);
	{
		/* the buildings and the project are held until the call ends, the
		 * two queries together: their rule, measured (sr_cadastre.h) */
		sr_qbudget	budget = {"solar_impact",
			"Pass the buildings within twice radius_m of the project only (ST_DWithin: the faces it may shade and what shades them), or raise smartregion.max_call_memory.",
		SR_IMPACT_HOLD_ROW, SR_IMPACT_HOLD_POINT, 1, 0, 0};

		sr_cadastre_read_buildings("buildings_sql", sr_text_arg(fcinfo, 1), &bs, &budget);
		sr_cadastre_read_buildings("project_sql", sr_text_arg(fcinfo, 0), &ps, &budget);
	}
	if (bs.srid >= 0 && ps.srid >= 0 && bs.srid != ps.srid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("project_sql has SRID %d but buildings_sql has SRID %d", ps.srid, bs.srid),
				 errhint("Transform one of them: the project and the buildings must share one projected SRID.")));
	/* the sky must describe the project's place (SRID 0: not checked) */
	if (ps.srid > 0 && ps.n > 0)
	{
		double		cx = 0,
					cy = 0;
		int			k = 0;

		for (int i = 0; i < ps.n; i++)
			for (int j = 0; j < ps.b[i].geom.npts; j++, k++)
			{
				cx += ps.b[i].geom.xyz[3 * j];
				cy += ps.b[i].geom.xyz[3 * j + 1];
			}
		if (k > 0 && sr_srid_to_lonlat(ps.srid, cx / k, cy / k, &lon, &lat, "the centre of project_sql") &&
			sr_cadastre_check_sky_site(sky, lat, lon, o.max_sky_distance_km, &err) != SR_OK)
			sr_raise(&err);
	}
	/* the buildings and the project turned together so that grid north is
	 * true north (solar_cadastre's frame), the faces kept as read */
	sr_cadastre_turn(&bs, &ps, true);
	if (sr_impact_compute(bs.b, bs.n, ps.b, ps.n, &o, sky, &im, &err) != SR_OK)
		sr_raise(&err);
	{
		double		top,
					bottom;

		/* a project under every building shades nothing: most likely its
		 * ground_z is missing (0) among buildings at their altitude */
		if (sr_impact_project_below(bs.b, bs.n, ps.b, ps.n, &top, &bottom))
			ereport(WARNING,
					(errcode(ERRCODE_WARNING),
					 errmsg("the project's highest point (z %g m) is below the lowest point of buildings_sql (z %g m): it shades none of them",
							top, bottom),
					 errdetail("A 2D footprint stands on its ground_z, 0 when it is NULL; the buildings' heights are absolute."),
					 errhint("Give the project its ground_z (the altitude of its ground), or 3D geometries at their altitude.")));
	}
	MemoryContextSwitchTo(old);
	/* solar_cadastre's NOTICE, for each query */
	for (int k = 0; k < 2; k++)
	{
		int			no_h,
					empty,
					walls;

		sr_impact_skipped(im, k, &no_h, &empty, &walls);
		sr_cadastre_notice_skipped("solar_impact", k ? "buildings of project_sql" : "buildings of buildings_sql",
								   no_h, empty, walls, o.wall_tilt_min);
	}
	/* a project object_id naming no object: a new building, or a typo */
	{
		const char *first[SR_IMPACT_UNMATCHED_LISTED];
		int			nu = sr_impact_unmatched(im, first, SR_IMPACT_UNMATCHED_LISTED);
		bool		any_id = false;

		for (int i = 0; i < bs.n && !any_id; i++)
			any_id = bs.b[i].object_id != NULL || bs.b[i].parent_id != NULL;
		if (nu > 0)
		{
			StringInfoData ids;

			initStringInfo(&ids);
			for (int k = 0; k < SR_IMPACT_UNMATCHED_LISTED && first[k]; k++)
				appendStringInfo(&ids, "%s%s", k ? ", " : "", quote_literal_cstr(first[k]));
			if (nu > SR_IMPACT_UNMATCHED_LISTED)
				appendStringInfoString(&ids, ", ...");
			ereport(NOTICE,
					(errmsg_plural("solar_impact: %d object_id of project_sql names no object of buildings_sql: %s",
								   "solar_impact: %d object_ids of project_sql name no object of buildings_sql: %s",
								   nu, nu, ids.data),
					 any_id ?
					 errdetail("Their rows are new buildings: they replace nothing.") :
					 errdetail("Their rows are new buildings: they replace nothing. No row of buildings_sql has an object_id."),
					 errhint("To replace an existing object, give its object_id as buildings_sql returns it (or its Building's, with a parent_id column in buildings_sql); give a new building a NULL object_id.")));
		}
	}
	sr_impact_counts(im, &considered, &existing);
	ereport(DEBUG1,
			(errmsg("solar_impact: %d of %d faces within %g m of the project computed twice, %d rows of buildings_sql replaced by the project",
					considered, existing, o.radius_m, sr_impact_replaced(im))));

	for (int i = 0; i < sr_impact_nrows(im); i++)
	{
		const sr_impact_row *r = sr_impact_get(im, i);
		const sr_face_result *a = &r->after;
		const bset *set = r->is_project ? &ps : &bs;
		Datum		v[18];
		bool		nulls[18] = {false};
		uint8_t    *wkb;
		size_t		wlen;

		if ((i & 255) == 0)
			CHECK_FOR_INTERRUPTS();
		old = MemoryContextSwitchTo(rowcxt);
		wkb = sr_cadastre_face_wkb(set, a->building, a->face - 1, &wlen);
		v[0] = Int64GetDatum(a->building_id);
		v[1] = Int32GetDatum(a->face);
		v[2] = BoolGetDatum(r->is_project);
		v[3] = sr_geom_from_core(wkb, wlen);
		v[4] = Float8GetDatum(a->tilt);
		v[5] = Float8GetDatum(a->azimuth);
		v[6] = Float8GetDatum(a->area_m2);
		v[7] = Float8GetDatum(a->usable_area_m2);
		v[9] = Float8GetDatum(a->annual_kwh_m2);
		v[11] = Float8GetDatum(a->shading_loss_pct);
		v[13] = Float8GetDatum(a->pv_kwh_year);
		v[17] = CStringGetTextDatum(sr_cadastre_class_names[a->potential_class]);
		if (r->is_project)
			nulls[8] = nulls[10] = nulls[12] = nulls[14] = nulls[15] = nulls[16] = true;
		else
		{
			const sr_face_result *be = &r->before;

			v[8] = Float8GetDatum(be->annual_kwh_m2);
			v[10] = Float8GetDatum(be->shading_loss_pct);
			v[12] = Float8GetDatum(be->pv_kwh_year);
			v[14] = Float8GetDatum(be->pv_kwh_year - a->pv_kwh_year);
			v[15] = Float8GetDatum(be->annual_kwh_m2 > 0 ?
								   100.0 * (1.0 - a->annual_kwh_m2 / be->annual_kwh_m2) : 0.0);
			v[16] = CStringGetTextDatum(sr_cadastre_class_names[be->potential_class]);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	sr_impact_free(im);
	MemoryContextDelete(work);
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}
