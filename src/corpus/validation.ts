import type { z } from "zod";

/** One line naming each invalid field, for load reports: "title: Invalid input: expected string". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "record"}: ${issue.message}`).join("; ");
}
