import { describe, expect, it } from "vitest";
import { displayDate } from "../../../src/render/papers.ts";

describe("displayDate", () => {
  it("shows a day as people write it, with or without its year, and anything else as it is", () => {
    expect(displayDate("2024-08-04")).toBe("Aug 4, 2024");
    expect(displayDate("2024-12-31")).toBe("Dec 31, 2024");
    expect(displayDate("--08-04")).toBe("Aug 4");
    expect(displayDate("2023")).toBe("2023");
    expect(displayDate("2024-13-01")).toBe("2024-13-01");
    expect(displayDate(undefined)).toBeUndefined();
  });
});
