package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
)

// Setting decodes the JSON value stored under key into `into`; false when there is none.
func (s IAM) Setting(ctx context.Context, key string, into any) (bool, error) {
	var row settingRow
	err := s.r(ctx).NewSelect().Model(&row).Where("key = ?", key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(row.Value), into)
}

// SaveSetting stores v as JSON under key.
func (s IAM) SaveSetting(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	row := &settingRow{Key: key, Value: string(b), UpdatedAt: s.Now().UTC()}
	_, err = s.w(ctx).NewInsert().Model(row).On("CONFLICT (key) DO UPDATE").
		Set("value = EXCLUDED.value").Set("updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}
