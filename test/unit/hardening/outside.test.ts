import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../../../src/config.ts";

/** Finding 4: the outside services are reached over https unless configured otherwise, with a body cap. */
describe("outside services by default", () => {
  it("are arXiv and Hugging Face over https, reading at most 32 MiB per response", () => {
    const config = ConfigSchema.parse({});
    expect(new URL(config.ARXIV_API_URL).protocol).toBe("https:");
    expect(new URL(config.HF_API_URL).protocol).toBe("https:");
    expect(config.HTTP_MAX_BYTES).toBe(32 * 1024 * 1024);
  });
});
