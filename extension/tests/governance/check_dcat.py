#!/usr/bin/python3
"""Check smartregion.catalog_dcat() output against DCAT-AP 2.1 with rdflib.

Usage: check_dcat.py FILE.jsonld EXPECTED_DATASETS LOADED_DATASET...
Parses the JSON-LD as RDF (the @context is inline: nothing is fetched) and
prints TAP lines: the mandatory properties of the catalogue, of every
dcat:Dataset and dcat:Distribution and of the publisher (DCAT-AP 2.1.1
section 4), the recommended ones smartregion promises (docs/governance.md),
and the provenance, modification date and temporal coverage of the datasets
that were loaded.
"""
import sys

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"

n = 0
failed = 0


def check(cond, desc):
    global n, failed
    n += 1
    if cond:
        print(f"ok {n} - {desc}")
    else:
        failed += 1
        print(f"not ok {n} - {desc}")


def missing(g, subjects, props):
    """Subjects lacking one of the properties, as 'subject: prop' strings."""
    out = []
    for s in subjects:
        for p in props:
            if g.value(s, p) is None:
                out.append(f"{s}: {g.qname(p)}")
    return out


path, expected = sys.argv[1], int(sys.argv[2])
loaded = sys.argv[3:]
g = Graph()
g.parse(path, format="json-ld")
check(len(g) > 0, f"the export parses as JSON-LD ({len(g)} triples)")

catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
datasets = list(g.subjects(RDF.type, DCAT.Dataset))
dists = list(g.subjects(RDF.type, DCAT.Distribution))
check(len(catalogs) == 1, "one dcat:Catalog")
check(len(datasets) == expected, f"one dcat:Dataset per hub table ({len(datasets)} of {expected})")
check(set(g.objects(catalogs[0], DCAT.dataset)) == set(datasets), "the catalogue lists every dataset (dcat:dataset)")

# mandatory (DCAT-AP 2.1.1)
m = missing(g, catalogs, [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCAT.dataset])
check(not m, "catalogue: mandatory dct:title, dct:description, dct:publisher, dcat:dataset " + "; ".join(m))
m = missing(g, datasets, [DCTERMS.title, DCTERMS.description])
check(not m, "every dataset: mandatory dct:title, dct:description " + "; ".join(m[:5]))
m = missing(g, dists, [DCAT.accessURL])
check(not m, "every distribution: mandatory dcat:accessURL " + "; ".join(m[:5]))
check(all(isinstance(o, URIRef) for o in g.objects(None, DCAT.accessURL)), "access URLs are IRIs")
publishers = set(g.objects(None, DCTERMS.publisher))
m = missing(g, publishers, [FOAF.name])
check(publishers and not m, "publisher (foaf:Agent): mandatory foaf:name " + "; ".join(m))
check(all((p, RDF.type, FOAF.Agent) in g for p in publishers), "publisher is a foaf:Agent")

# recommended, as promised
m = missing(g, datasets, [DCAT.contactPoint, DCAT.distribution, DCAT.keyword, DCTERMS.publisher, DCAT.theme,
                          DCTERMS.accrualPeriodicity, DCTERMS.accessRights, DCTERMS.language])
check(not m, "every dataset: contact point, distribution, keyword, publisher, theme, frequency, access rights, language " + "; ".join(m[:5]))
check(all(str(t).startswith(EU + "data-theme/") for t in g.objects(None, DCAT.theme)), "themes from the EU data-theme vocabulary")
check(all(str(t).startswith(EU + "frequency/") for t in g.objects(None, DCTERMS.accrualPeriodicity)), "frequencies from the EU vocabulary")
check(all(str(t).startswith(EU + "access-right/") for t in g.objects(None, DCTERMS.accessRights)), "access rights from the EU vocabulary")
contacts = set(g.objects(None, DCAT.contactPoint))
check(contacts and all(str(g.value(c, VCARD.hasEmail) or "").startswith("mailto:") for c in contacts),
      "contact points (vcard:Kind) have a mailto: vcard:hasEmail")
check(all((d, DCAT.distribution, None) in g for d in datasets) and
      all(any((d, DCAT.distribution, x) in g for d in datasets) for x in dists),
      "every distribution belongs to a dataset")
m = missing(g, dists, [DCTERMS.format, DCTERMS.license, DCTERMS.description, DCAT.mediaType])
check(not m, "every distribution: format, licence, description, media type " + "; ".join(m[:5]))
check(all(str(f).startswith(EU + "file-type/") for f in g.objects(None, DCTERMS.format)), "formats from the EU file-type vocabulary")

# the datasets loaded by the families' loaders: provenance, modified, temporal, spatial
for ident in loaded:
    d = next((s for s in datasets if str(g.value(s, DCTERMS.identifier)) == ident), None)
    check(d is not None, f"{ident}: in the catalogue")
    if d is None:
        continue
    prov = g.value(d, DCTERMS.provenance)
    label = str(g.value(prov, RDFS.label)) if prov is not None else ""
    check(prov is not None and (prov, RDF.type, DCTERMS.ProvenanceStatement) in g and "INSERT" in label,
          f"{ident}: dct:provenance names the loader ({label[:60]}...)")
    mod = g.value(d, DCTERMS.modified)
    check(mod is not None and mod.datatype == XSD.dateTime, f"{ident}: dct:modified is an xsd:dateTime")
for d in datasets:
    t = g.value(d, DCTERMS.temporal)
    if t is not None:
        s, e = g.value(t, DCAT.startDate), g.value(t, DCAT.endDate)
        check((t, RDF.type, DCTERMS.PeriodOfTime) in g and s is not None and e is not None
              and s.datatype == XSD.date and s.toPython() <= e.toPython(),
              f"{g.value(d, DCTERMS.identifier)}: dct:temporal is a PeriodOfTime with xsd:date start <= end")
print(f"1..{n}")
sys.exit(1 if failed else 0)
