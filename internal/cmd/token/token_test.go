package token

import (
	"reflect"
	"testing"

	"github.com/plexkit/plexgo/internal/cmdutil/cmdtest"
)

func TestNewCmdToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		want    Options
		wantErr bool
	}{
		{args: nil, want: Options{}},
		{args: []string{"--transient", "--server", "Living Room"}, want: Options{Transient: true, Server: "Living Room"}},
		{args: []string{"--transient"}, wantErr: true},
		{args: []string{"--server", "x"}, wantErr: true},
		{args: []string{"extra"}, wantErr: true},
	}
	for _, tt := range tests {
		var got *Options
		err := cmdtest.Run(NewCmdToken(cmdtest.Factory(), func(o *Options) error { got = o; return nil }), tt.args...)
		if tt.wantErr {
			if !cmdtest.IsUsage(err) {
				t.Errorf("%v: err = %v, want a usage error", tt.args, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		cmdtest.ClearDeps(got)
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%v: options = %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}
