// The time-skipping test server starts without our custom search attributes; register the
// project's list through the operator API, as the compose admin job does in production.
import type { Connection } from '@temporalio/client'
import { temporal } from '@temporalio/proto'
import { searchAttributeKeys } from '../../domain/search-attributes'

const IndexedValueType = temporal.api.enums.v1.IndexedValueType
const indexedType: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
}

export async function registerSearchAttributes(connection: Connection, namespace = 'default'): Promise<void> {
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      searchAttributeKeys.map((key) => [key.name, indexedType[key.type]!]),
    ),
  })
}
