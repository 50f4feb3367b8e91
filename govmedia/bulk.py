"""INSERT many new model instances at once and give each its primary key, for bulk writers (the ledger import).

QuerySet.bulk_create() does the same, but compiles every value of every row through the ORM's insert
compiler (some 10 µs a value): for a 3,000-row ledger, 40,000 objects and 280,000 values, that was over
a second. Here each field's way from instance to database is worked out once per model; a value that
is already what the database takes (text, a whole number, a flag, NULL in a plain column) is passed as
it is, anything else goes through the field's own get_db_prep_save(). Rows go in multi-row INSERTs
with RETURNING, whose ids come back in the order of the rows (what bulk_create relies on too).

Like bulk_create(), this sends no signals: the caller writes the audit rows (audit_bulk_create).
"""

import operator
from datetime import date, datetime
from decimal import Decimal

from django.db import connection, models

# Which values a field's get_db_prep_save() returns unchanged, by the field's exact class (a subclass may
# convert values its own way): any str for text, an int for numbers, a bool for flags, and None for these
# and for dates, times and JSON.
_TEXT_FIELDS = {models.CharField, models.TextField, models.URLField, models.EmailField, models.SlugField}
_INT_FIELDS = {models.IntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
               models.SmallIntegerField, models.BigIntegerField, models.AutoField, models.BigAutoField,
               models.SmallAutoField}
_NULLABLE_FIELDS = {*_TEXT_FIELDS, *_INT_FIELDS, models.BooleanField, models.DateField, models.DateTimeField,
                    models.JSONField}
_IMMUTABLE_VALUES = {date, datetime, Decimal}
_MAX_ROWS = 500  # rows per statement (fewer when the database caps the parameters of one statement)


def bulk_insert(objects: list[models.Model]) -> None:
    """INSERT `objects`, new instances of one model, and set each one's pk (and _state) as save() would.

    A foreign key set to an instance saved after the assignment takes that instance's pk, as in save().
    """
    if not objects:
        return
    model = type(objects[0])
    meta = model._meta
    if (not connection.features.can_return_rows_from_bulk_insert or meta.parents or not meta.pk.db_returning
            or any(f.db_default is not models.NOT_PROVIDED for f in meta.concrete_fields)):
        model._default_manager.bulk_create(objects, batch_size=_MAX_ROWS)  # what this module does not cover
        return
    columns = [_Column(f) for f in meta.concrete_fields if not f.generated and f is not meta.pk]
    if any(type(o) is not model or o.pk is not None for o in objects):
        raise ValueError(f"bulk_insert() takes new {meta.label} instances only")
    ops = connection.ops
    batch = max(1, min(_MAX_ROWS, ops.bulk_batch_size([c.field for c in columns], objects)))
    row_sql = f"({', '.join(['%s'] * len(columns))})"
    head = (f"INSERT INTO {ops.quote_name(meta.db_table)} ({', '.join(ops.quote_name(c.field.column) for c in columns)})"
            f" VALUES ")
    tail = f" RETURNING {ops.quote_name(meta.pk.column)}"
    getter = operator.attrgetter(*(c.field.attname for c in columns))  # one call for all of an object's values
    values_of = getter if len(columns) > 1 else lambda obj: (getter(obj),)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            chunk = objects[start:start + batch]
            params = [value if type(value) in column.passes else column.prepare(obj, value)
                      for obj in chunk for column, value in zip(columns, values_of(obj), strict=True)]
            cursor.execute(head + ", ".join([row_sql] * len(chunk)) + tail, params)
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, connection.alias


class _Column:
    """How one field's value goes from an instance to the INSERT: values of a type in `passes` as they are
    (the common case, decided without a call), any other through prepare()."""

    def __init__(self, field: models.Field):
        self.field = field
        # FileField (commit the file), DateField (auto_now) and the like do something before saving; a plain
        # date or time field does not.
        self.pre_save = type(field).pre_save is not models.Field.pre_save and not (
            type(field) in (models.DateField, models.DateTimeField) and not field.auto_now and not field.auto_now_add)
        self.relation = field.many_to_one
        kind = type(field.target_field if self.relation else field)
        self.text = kind in _TEXT_FIELDS
        self.unchanged = {type(None)} if kind in _NULLABLE_FIELDS else set()
        if self.text:
            self.unchanged.add(str)
        elif kind in _INT_FIELDS:
            self.unchanged.add(int)
        elif kind is models.BooleanField:
            self.unchanged.add(bool)
        # A foreign key's None may stand for an instance saved since it was assigned.
        self.passes = set() if self.pre_save else self.unchanged - {type(None)} if self.relation else self.unchanged
        self.prepared: dict = {}  # date, datetime and Decimal values already prepared (an import repeats them)

    def prepare(self, obj, value):
        field = self.field
        if self.pre_save:
            value = field.pre_save(obj, True)
        elif value is None and self.relation:
            related = field.get_cached_value(obj, None)
            if related is not None:
                if related.pk is None:
                    raise ValueError(f"bulk_insert() prohibited to prevent data loss due to unsaved related "
                                     f"object '{field.name}'.")
                setattr(obj, field.name, related)  # sets the id and keeps the related instance
                value = related.pk
        kind = type(value)
        if kind in self.unchanged or self.text and isinstance(value, str):
            return value
        if kind not in _IMMUTABLE_VALUES:
            return field.get_db_prep_save(value, connection)
        key = (kind, value)
        if key not in self.prepared:
            self.prepared[key] = field.get_db_prep_save(value, connection)
        return self.prepared[key]
