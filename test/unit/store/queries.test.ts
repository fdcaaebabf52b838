import { describe, expect, it } from "vitest";
import { QUERY_ID, QueryStore } from "../../../src/store/queries.ts";
import { DATABASES } from "../../helpers/databases.ts";


describe.each(DATABASES)("saved search queries on $dialect", ({ open }) => {
  async function store() {
    const sql = await open();
    return new QueryStore(sql);
  }

  it("saves a query under a stable id, gets it back, and forgets queries unused since a time", async () => {
    const queries = await store();
    const long = `robots grasping ${"with details ".repeat(70)}`;
    const id = await queries.save(long, 1000);
    expect(id).toMatch(QUERY_ID);
    expect(await queries.save(long, 2000)).toBe(id); // the same query, the same id: saving is idempotent
    const other = await queries.save("another question", 1000);
    expect(other).not.toBe(id);
    expect(await queries.get(id, 3000)).toBe(long);
    expect(await queries.get("AAAAAAAAAAAAAAAA", 3000)).toBeUndefined();
    // Used at 3000 (get marks it used); the other one last at 1000.
    expect(await queries.prune(2500)).toBe(1);
    expect(await queries.get(other, 4000)).toBeUndefined();
    expect(await queries.get(id, 4000)).toBe(long);
    expect(await queries.prune(4000)).toBe(0);
    expect(await queries.prune(4001)).toBe(1);
  });
});
