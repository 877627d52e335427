import JSON

/// A column of a tabular or keyed tabular form: a leaf, or a nested field group (§9.3).
struct FieldSpec {
  var name: String
  var children: [FieldSpec]?
}

extension JSONValue {
  var isPrimitive: Bool {
    switch self {
    case .array, .object: false
    default: true
    }
  }
}

/// §9.3 tabular detection over `objects` (the elements of an array, or the entry values of
/// a keyed object): every object non-empty with the same key set, and every column
/// uniform-primitive or nested-uniform. Returns the field list in the first object's order,
/// or `nil` when the objects do not qualify.
func tabularFields(_ objects: [JSONObject]) -> [FieldSpec]? {
  guard let first = objects.first, !first.isEmpty else { return nil }
  let keys = first.orderedKeys
  for object in objects.dropFirst() {
    guard object.count == keys.count, keys.allSatisfy({ object.contains($0) }) else { return nil }
  }
  var fields: [FieldSpec] = []
  for key in keys {
    var nested: [JSONObject] = []
    var primitives = 0
    for object in objects {
      switch object[key]! {
      case .array: return nil
      case .object(let value):
        guard !value.isEmpty else { return nil }
        nested.append(value)
      default: primitives += 1
      }
    }
    if primitives == objects.count {
      fields.append(FieldSpec(name: key, children: nil))
    } else if nested.count == objects.count, let children = tabularFields(nested) {
      fields.append(FieldSpec(name: key, children: children))
    } else {
      return nil
    }
  }
  return fields
}

/// §9.5 keyed tabular detection: at least two entries whose values qualify as tabular rows.
func keyedFields(_ object: JSONObject) -> [FieldSpec]? {
  guard object.count >= 2 else { return nil }
  var values: [JSONObject] = []
  for key in object.orderedKeys {
    guard case .object(let value) = object[key]! else { return nil }
    values.append(value)
  }
  return tabularFields(values)
}

/// Objects of an array when every element is an object.
func allObjects(_ items: [JSONValue]) -> [JSONObject]? {
  var objects: [JSONObject] = []
  objects.reserveCapacity(items.count)
  for item in items {
    guard case .object(let object) = item else { return nil }
    objects.append(object)
  }
  return objects
}
