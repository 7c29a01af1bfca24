// graphql-js, as GraphiQL and code generators use it, on the checked-in SDL (argv[2]):
// builds the schema, validates each document of argv[3] (a JSON list), and lists every
// Int field or argument; prints RESULT {"errors": [[...]], "ints": [...]}.
import { readFileSync } from "node:fs";
import { buildSchema, parse, validate, isObjectType, isInputObjectType, getNamedType } from "graphql";

const schema = buildSchema(readFileSync(process.argv[2], "utf8"));
const documents = JSON.parse(process.argv[3]);
const errors = documents.map((text) => validate(schema, parse(text)).map((e) => e.message));
const ints = [];
for (const type of Object.values(schema.getTypeMap())) {
  if (type.name.startsWith("__")) continue;
  if (isObjectType(type) || isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      if (getNamedType(field.type).name === "Int") ints.push(`${type.name}.${field.name}`);
    }
  }
}
console.log("RESULT " + JSON.stringify({ errors, ints }));
