/** A field's whole label, with or without the required marker: "Uusi salasana" but not "Uusi salasana uudelleen". */
export function labelled(label: string): RegExp {
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\*?$`);
}
