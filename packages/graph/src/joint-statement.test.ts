import { JointStatement } from "./joint-statement";

describe("JointStatement", () => {
  const statement = new JointStatement({
    first: "\nMERGE (n:Thing {tenant_id: $tenantId, id: $id})\nRETURN n.id AS row",
    second: "\nUNWIND $rows AS r\nRETURN r AS row",
  });

  it("runs the parts in the order given, each collected under its name", () => {
    const { cypher } = statement;
    expect(cypher.indexOf("MERGE (n:Thing")).toBeLessThan(cypher.indexOf("UNWIND"));
    expect(cypher).toContain("RETURN collect(row) AS first");
    expect(cypher).toContain("RETURN collect(row) AS second");
    expect(cypher.trim().endsWith("RETURN first, second")).toBe(true);
  });

  it("reads every parameter from the one map the values travel in", () => {
    expect(statement.cypher).toContain("{tenant_id: $joint.tenantId, id: $joint.id}");
    expect(statement.cypher).toContain("UNWIND $joint.rows AS r");
    expect(statement.cypher).not.toMatch(/\$(?!joint\.)/);
  });

  it("refuses a part name that is not a plain name", () => {
    expect(() => new JointStatement({ "bad name": "RETURN 1 AS row" })).toThrow('"bad name" is not a plain name');
  });
});
