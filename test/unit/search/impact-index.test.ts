import { describe, expect, it } from "vitest";
import { documentFrequency, ImpactIndex, impactLevel } from "../../../src/search/index/impact-index.ts";
import { PostingsBuilder } from "../../../src/search/index/postings-builder.ts";
import { IMPACT_LEVELS } from "../../../src/search/tuning.ts";

describe("ImpactIndex (FlexSearch with impact slots)", () => {
  const papers: Array<Array<[string, number]>> = [
    [["graph", 0.9], ["network", 0.3]],
    [["graph", 0.4], ["molecule", 0.55]],
    [["graph", 0.95], ["network", 0.31]],
    [["molecule", 0.2]],
  ];

  it("files each paper under the slot of its impact, best first, each slot in the order papers came", () => {
    const index = new ImpactIndex();
    papers.forEach((terms, doc) => index.add(doc, terms.map(([term]) => term), terms.map(([, impact]) => impact)));
    const graph = index.postings("graph");
    expect([impactLevel(0.95), impactLevel(0.9), impactLevel(0.4)]).toEqual([1, 3, 19]);
    expect([graph[1], graph[3], graph[19]]).toEqual([[2], [0], [1]]);
    expect(documentFrequency(graph)).toBe(3);
    expect(index.postings("nothing")).toEqual([]);
    expect(impactLevel(0.999)).toBe(0);
    expect(impactLevel(0)).toBe(IMPACT_LEVELS - 1);
  });

  it("builds the same lists in bulk (PostingsBuilder + import) as one add at a time", () => {
    const names = ["graph", "network", "molecule"];
    const one = new ImpactIndex();
    const bulk = new ImpactIndex();
    const builder = new PostingsBuilder();
    papers.forEach((terms, doc) => {
      one.add(doc, terms.map(([term]) => term), terms.map(([, impact]) => impact));
      builder.add(doc, Int32Array.from(terms, ([term]) => names.indexOf(term)), Float64Array.from(terms, ([, impact]) => impact), terms.length);
    });
    bulk.load(builder, names.length, (id) => names[id]!);
    for (const term of names) expect(bulk.postings(term).map((docs) => docs ?? undefined), term).toEqual(one.postings(term).map((docs) => docs ?? undefined));
  });

  it("removes a paper through its own terms, leaving exactly the lists it would have without it", () => {
    const index = new ImpactIndex();
    const without = new ImpactIndex();
    papers.forEach((terms, doc) => {
      index.add(doc, terms.map(([term]) => term), terms.map(([, impact]) => impact));
      if (doc !== 1) without.add(doc, terms.map(([term]) => term), terms.map(([, impact]) => impact));
    });
    const impactsOf = (doc: number, terms: string[]) => terms.map((term) => papers[doc]!.find(([name]) => name === term)![1]);
    index.remove(1, ["graph", "molecule"], impactsOf(1, ["graph", "molecule"]));
    for (const term of ["graph", "network", "molecule"]) expect(index.postings(term).map((docs) => docs ?? undefined), term).toEqual(without.postings(term).map((docs) => docs ?? undefined));
    // An impact that has moved since the paper was added (the average field lengths changed): found all the same.
    index.remove(3, ["molecule"], [impactsOf(3, ["molecule"])[0]! > 0.5 ? 0.01 : 0.99]);
    expect(index.postings("molecule")).toEqual([]);
  });

  it("round-trips through its compact export", () => {
    const index = new ImpactIndex();
    papers.forEach((terms, doc) => index.add(doc, terms.map(([term]) => term), terms.map(([, impact]) => impact)));
    const copy = new ImpactIndex();
    copy.importCompact(index.exportCompact());
    for (const term of ["graph", "network", "molecule"]) expect(copy.postings(term).map((docs) => docs ?? undefined)).toEqual(index.postings(term).map((docs) => docs ?? undefined));
    copy.remove(0, ["graph", "network"], papers[0]!.map(([, impact]) => impact));
    expect(documentFrequency(copy.postings("graph"))).toBe(2);
  });
});
