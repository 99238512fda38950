/*
 * hub_code.c — the fast path of the hub code guard (_hub_code_guard,
 * docs/security.md "read guard").
 *
 * smartregion._hub_code_clear(hub) answers, with catalogue index lookups
 * and no query to parse or plan, whether every role that
 * _hub_code_controllers(hub, CURRENT_USER) would list holds the caller's
 * rights.  It walks the same objects as that query, arm by arm: the
 * schema's owner; its relations (r, p, v, m, f) and their inheritance
 * children, their owners and the roles granted TRIGGER on them; the
 * triggers, rules, policies, defaults, constraints and indexes attached to
 * them, and the owners of the functions and operators (and operators'
 * functions) those depend on (pg_depend); the domains of their columns and
 * the domains those are over, their owners and what their constraints call;
 * the owners of the enabled event triggers' functions.  It returns false
 * at the first role that does not hold the caller's rights (PUBLIC never
 * does), and the guard then runs _hub_code_controllers to name it: the SQL
 * query stays the one that decides and words a refusal, this one only
 * spares it when there is nothing to find.  Before (2026-12-06) every
 * guard ran the query: 60-130 ms for a session's first call on the demo
 * hub, most of it parsing and planning a query over 13 catalogues.
 */
#include "sr_pg.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_event_trigger.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_policy.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/syscache.h"

/* does role hold the caller's rights (pg_has_role(role, caller, 'USAGE'))? */
static bool
holds_rights(Oid role, Oid caller)
{
	return role != ACL_ID_PUBLIC && has_privs_of_role(role, caller);
}

/* the owner of a function holds the caller's rights (a missing one: nothing to run) */
static bool
proc_trusted(Oid fn, Oid caller)
{
	HeapTuple	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	bool		ok = true;

	if (HeapTupleIsValid(tup))
	{
		ok = holds_rights(((Form_pg_proc) GETSTRUCT(tup))->proowner, caller);
		ReleaseSysCache(tup);
	}
	return ok;
}

/* the owner of an operator and of its function hold the caller's rights */
static bool
operator_trusted(Oid opr, Oid caller)
{
	HeapTuple	tup = SearchSysCache1(OPEROID, ObjectIdGetDatum(opr));
	bool		ok = true;

	if (HeapTupleIsValid(tup))
	{
		Form_pg_operator o = (Form_pg_operator) GETSTRUCT(tup);

		ok = holds_rights(o->oprowner, caller) &&
			(!OidIsValid(o->oprcode) || proc_trusted(o->oprcode, caller));
		ReleaseSysCache(tup);
	}
	return ok;
}

/* every function and operator an object depends on (pg_depend) has a trusted owner */
static bool
depends_trusted(Relation dep, Oid classid, Oid objid, Oid caller)
{
	ScanKeyData key[2];
	SysScanDesc scan;
	HeapTuple	tup;
	bool		ok = true;

	ScanKeyInit(&key[0], Anum_pg_depend_classid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(classid));
	ScanKeyInit(&key[1], Anum_pg_depend_objid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(objid));
	scan = systable_beginscan(dep, DependDependerIndexId, true, NULL, 2, key);
	while (ok && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_depend d = (Form_pg_depend) GETSTRUCT(tup);

		if (d->refclassid == ProcedureRelationId)
			ok = proc_trusted(d->refobjid, caller);
		else if (d->refclassid == OperatorRelationId)
			ok = operator_trusted(d->refobjid, caller);
	}
	systable_endscan(scan);
	return ok;
}

/*
 * Every row of catalogue catid whose column attno (indexed first by indexid)
 * is relid is an object attached to the relation: what it depends on must
 * have trusted owners.  oidattno: the object's oid column; for pg_index the
 * object is the index, a pg_class row (indexrelid).
 */
static bool
attached_trusted(Relation dep, Oid catid, Oid indexid, AttrNumber attno,
				 AttrNumber oidattno, Oid objclass, Oid relid, Oid caller)
{
	Relation	cat = table_open(catid, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		ok = true;

	ScanKeyInit(&key, attno, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	scan = systable_beginscan(cat, indexid, true, NULL, 1, &key);
	while (ok && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		oid = heap_getattr(tup, oidattno, RelationGetDescr(cat), &isnull);

		if (!isnull)
			ok = depends_trusted(dep, objclass, DatumGetObjectId(oid), caller);
	}
	systable_endscan(scan);
	table_close(cat, AccessShareLock);
	return ok;
}

/* a domain, its constraints' code and the domains it is over have trusted owners */
static bool
domain_trusted(Relation dep, Relation con, Oid typid, Oid caller)
{
	while (OidIsValid(typid))
	{
		HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
		Form_pg_type t;
		Oid			base;
		bool		ok;
		ScanKeyData key;
		SysScanDesc scan;
		HeapTuple	c;

		if (!HeapTupleIsValid(tup))
			return true;
		t = (Form_pg_type) GETSTRUCT(tup);
		if (t->typtype != TYPTYPE_DOMAIN)
		{
			ReleaseSysCache(tup);
			return true;
		}
		ok = holds_rights(t->typowner, caller);
		base = t->typbasetype;
		ReleaseSysCache(tup);
		if (!ok)
			return false;
		/* what the domain's constraints call */
		ScanKeyInit(&key, Anum_pg_constraint_contypid, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(typid));
		scan = systable_beginscan(con, ConstraintTypidIndexId, true, NULL, 1, &key);
		while (ok && HeapTupleIsValid(c = systable_getnext(scan)))
			ok = depends_trusted(dep, ConstraintRelationId,
								 ((Form_pg_constraint) GETSTRUCT(c))->oid, caller);
		systable_endscan(scan);
		if (!ok)
			return false;
		typid = base;
	}
	return true;
}

/* the owner, TRIGGER grantees, attached code and column domains of one relation */
static bool
relation_trusted(Relation dep, Relation con, Relation att, Oid relid, Oid caller)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	bool		ok = true;
	bool		isnull;
	Datum		acl;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	a;

	if (!HeapTupleIsValid(tup))
		return true;
	ok = holds_rights(((Form_pg_class) GETSTRUCT(tup))->relowner, caller);
	acl = SysCacheGetAttr(RELOID, tup, Anum_pg_class_relacl, &isnull);
	if (ok && !isnull)
	{
		Acl		   *acl_arr = DatumGetAclP(acl);
		AclItem    *items = ACL_DAT(acl_arr);

		for (int i = 0; ok && i < ACL_NUM(acl_arr); i++)
			if (ACLITEM_GET_PRIVS(items[i]) & ACL_TRIGGER)
				ok = holds_rights(items[i].ai_grantee, caller);
	}
	ReleaseSysCache(tup);
	if (!ok)
		return false;

	ok = attached_trusted(dep, TriggerRelationId, TriggerRelidNameIndexId,
						  Anum_pg_trigger_tgrelid, Anum_pg_trigger_oid,
						  TriggerRelationId, relid, caller) &&
		attached_trusted(dep, RewriteRelationId, RewriteRelRulenameIndexId,
						 Anum_pg_rewrite_ev_class, Anum_pg_rewrite_oid,
						 RewriteRelationId, relid, caller) &&
		attached_trusted(dep, PolicyRelationId, PolicyPolrelidPolnameIndexId,
						 Anum_pg_policy_polrelid, Anum_pg_policy_oid,
						 PolicyRelationId, relid, caller) &&
		attached_trusted(dep, AttrDefaultRelationId, AttrDefaultIndexId,
						 Anum_pg_attrdef_adrelid, Anum_pg_attrdef_oid,
						 AttrDefaultRelationId, relid, caller) &&
		attached_trusted(dep, ConstraintRelationId, ConstraintRelidTypidNameIndexId,
						 Anum_pg_constraint_conrelid, Anum_pg_constraint_oid,
						 ConstraintRelationId, relid, caller) &&
		attached_trusted(dep, IndexRelationId, IndexIndrelidIndexId,
						 Anum_pg_index_indrelid, Anum_pg_index_indexrelid,
						 RelationRelationId, relid, caller);
	if (!ok)
		return false;

	/* the domains its columns are typed with */
	ScanKeyInit(&key, Anum_pg_attribute_attrelid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(relid));
	scan = systable_beginscan(att, AttributeRelidNumIndexId, true, NULL, 1, &key);
	while (ok && HeapTupleIsValid(a = systable_getnext(scan)))
	{
		Form_pg_attribute at = (Form_pg_attribute) GETSTRUCT(a);

		if (at->attnum > 0 && !at->attisdropped)
			ok = domain_trusted(dep, con, at->atttypid, caller);
	}
	systable_endscan(scan);
	return ok;
}

/* the schema's relations of kinds r, p, v, m, f, then their inheritance children */
static List *
hub_relations(Oid nsp)
{
	List	   *rels = NIL;
	Relation	cls = table_open(RelationRelationId, AccessShareLock);
	Relation	inh = table_open(InheritsRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;

	ScanKeyInit(&key, Anum_pg_class_relnamespace, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(nsp));
	scan = systable_beginscan(cls, InvalidOid, false, NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_class c = (Form_pg_class) GETSTRUCT(tup);

		if (strchr("rpvmf", c->relkind) != NULL && c->relkind != '\0')
			rels = lappend_oid(rels, c->oid);
	}
	systable_endscan(scan);
	/* (rels grows as children are found: each is visited once) */
	for (int i = 0; i < list_length(rels); i++)
	{
		ScanKeyInit(&key, Anum_pg_inherits_inhparent, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(list_nth_oid(rels, i)));
		scan = systable_beginscan(inh, InheritsParentIndexId, true, NULL, 1, &key);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
			rels = list_append_unique_oid(rels, ((Form_pg_inherits) GETSTRUCT(tup))->inhrelid);
		systable_endscan(scan);
	}
	table_close(inh, AccessShareLock);
	table_close(cls, AccessShareLock);
	return rels;
}

/* the owners of the enabled event triggers' functions hold the caller's rights */
static bool
event_triggers_trusted(Oid caller)
{
	Relation	evt = table_open(EventTriggerRelationId, AccessShareLock);
	SysScanDesc scan = systable_beginscan(evt, InvalidOid, false, NULL, 0, NULL);
	HeapTuple	tup;
	bool		ok = true;

	while (ok && HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_event_trigger e = (Form_pg_event_trigger) GETSTRUCT(tup);

		if (e->evtenabled != 'D')	/* (TRIGGER_DISABLED) */
			ok = proc_trusted(e->evtfoid, caller);
	}
	systable_endscan(scan);
	table_close(evt, AccessShareLock);
	return ok;
}

PG_FUNCTION_INFO_V1(sr_fn_hub_code_clear);
/*
 * smartregion._hub_code_clear(hub_schema name): true when every role
 * _hub_code_controllers(hub_schema, CURRENT_USER) would list holds the
 * caller's rights (it would list none); false at the first that does not.
 */
Datum
sr_fn_hub_code_clear(PG_FUNCTION_ARGS)
{
	Oid			caller = GetUserId();
	Oid			nsp = get_namespace_oid(NameStr(*PG_GETARG_NAME(0)), true);
	bool		ok = event_triggers_trusted(caller);

	if (ok && OidIsValid(nsp))
	{
		HeapTuple	tup = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(nsp));

		if (HeapTupleIsValid(tup))
		{
			ok = holds_rights(((Form_pg_namespace) GETSTRUCT(tup))->nspowner, caller);
			ReleaseSysCache(tup);
		}
		if (ok)
		{
			List	   *rels = hub_relations(nsp);
			Relation	dep = table_open(DependRelationId, AccessShareLock);
			Relation	con = table_open(ConstraintRelationId, AccessShareLock);
			Relation	att = table_open(AttributeRelationId, AccessShareLock);
			ListCell   *lc;

			foreach(lc, rels)
			{
				CHECK_FOR_INTERRUPTS();
				if (!(ok = relation_trusted(dep, con, att, lfirst_oid(lc), caller)))
					break;
			}
			table_close(att, AccessShareLock);
			table_close(con, AccessShareLock);
			table_close(dep, AccessShareLock);
			list_free(rels);
		}
	}
	PG_RETURN_BOOL(ok);
}
