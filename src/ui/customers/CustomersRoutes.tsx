/**
 * The customer pages below `/customers` (for admins inside the administration's shell,
 * for agents inside their own): the list, `new`, `import`, and a customer's Details
 * (`/customers/:id`) and History (`/customers/:id/history`) tabs. The field catalogue is
 * loaded once for all of them.
 */
import { Forbidden, NotFound, useAdmin } from "../admin/kit/index.ts";
import "./customers.css";
import { CustomerNew, CustomerPage } from "./CustomerPage.tsx";
import { CustomersList } from "./CustomersList.tsx";
import { FieldsGate, FieldsProvider } from "./FieldsContext.tsx";
import { ImportPage } from "./import/ImportPage.tsx";

/** `rest`: the decoded path segments after `/customers`. */
export function CustomersRoutes({ rest }: { rest: readonly string[] }) {
  return (
    <FieldsProvider>
      <Route rest={rest} />
    </FieldsProvider>
  );
}

function Route({ rest }: { rest: readonly string[] }) {
  const { me } = useAdmin();
  const [first, second, ...more] = rest;
  if (more.length > 0) return <NotFound backTo="/customers" />;
  return (
    <FieldsGate>
      {(fields) => {
        if (first === undefined) return <CustomersList fields={fields} />;
        if (first === "new" && second === undefined)
          return fields.mayEdit ? <CustomerNew fields={fields} /> : <Forbidden />;
        if (first === "import" && second === undefined)
          return fields.mayImport && me.role === "admin" ? <ImportPage /> : <Forbidden />;
        if (second === undefined)
          return <CustomerPage key={first} id={first} tab="details" fields={fields} />;
        if (second === "history")
          return <CustomerPage key={first} id={first} tab="history" fields={fields} />;
        return <NotFound backTo="/customers" />;
      }}
    </FieldsGate>
  );
}
