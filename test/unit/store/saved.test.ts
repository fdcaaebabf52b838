import { describe, expect, it } from "vitest";
import { MAX_SAVED, SavedPapers } from "../../../src/store/saved.ts";
import { DATABASES } from "../../helpers/databases.ts";


describe.each(DATABASES)("saved papers on $dialect", ({ open }) => {
  async function store() {
    const sql = await open();
    return { sql, saved: new SavedPapers(sql) };
  }

  it("saves, says 'already', lists newest first per person, pages, counts and removes", async () => {
    const { saved } = await store();
    expect(await saved.save("ada", "p1", 1000)).toBe("saved");
    expect(await saved.save("ada", "p1", 2000)).toBe("already");
    expect(await saved.save("ada", "p2", 3000)).toBe("saved");
    expect(await saved.save("bob", "p3", 500)).toBe("saved");
    expect(await saved.list("ada")).toEqual(["p2", "p1"]);
    expect(await saved.list("ada", 1, 10)).toEqual(["p1"]);
    expect(await saved.list("ada", 0, 1)).toEqual(["p2"]);
    expect(await saved.list("bob")).toEqual(["p3"]);
    expect(await saved.count("ada")).toBe(2);
    expect(await saved.remove("ada", "p2")).toBe(true);
    expect(await saved.remove("ada", "p2")).toBe(false);
    expect(await saved.list("ada")).toEqual(["p1"]);
    expect(await saved.count("nobody")).toBe(0);
  });

  it("keeps the order papers were saved in when they are saved in the same millisecond (or the clock goes back)", async () => {
    const { saved } = await store();
    // Ids that sort the other way round: the order must come from the saves.
    for (const id of ["a", "b", "c"]) expect(await saved.save("ada", id, 1000)).toBe("saved");
    await saved.save("ada", "0-clock-went-back", 900);
    expect(await saved.list("ada")).toEqual(["0-clock-went-back", "c", "b", "a"]);
  });

  it("refuses a paper past MAX_SAVED without changing anything", async () => {
    const { sql, saved } = await store();
    const values = Array.from({ length: MAX_SAVED }, (_, i) => ["ada", `p${i}`, i]);
    for (let at = 0; at < values.length; at += 200) {
      const chunk = values.slice(at, at + 200);
      await sql.run(`INSERT INTO saved_papers (user_id, paper_id, saved_at) VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")}`, chunk.flat());
    }
    expect(await saved.save("ada", "one-more", 10_000)).toBe("full");
    expect(await saved.save("ada", "p5", 10_000)).toBe("already");
    expect(await saved.count("ada")).toBe(MAX_SAVED);
    expect((await saved.list("ada", 0, 2))).toEqual([`p${MAX_SAVED - 1}`, `p${MAX_SAVED - 2}`]);
  });
});
